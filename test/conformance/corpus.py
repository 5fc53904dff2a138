"""The fixed text the conformance tokenizers are trained on: prose, code, JSON and a little
unicode, so merges cover what the tricky-string checks feed them. Changing it changes every
fixture (vocabularies, hence weights' shapes and every golden)."""

CORPUS = r'''
Once upon a time a tiny hedgehog named Sonic lived at the edge of a quiet forest.
Every morning he ran along the river, counting the stones and greeting the frogs.
"Good morning," said the old frog. "Where are you running today?"
"Everywhere!" said Sonic, and he was gone before the frog could blink.
You are a storyteller. Generate a story based on user message.
You are a strict JSON machine. Generate only a JSON with format {"contractor": name, "sum": decimal, "currency": currency code} based on user message.
Transfer 100 rubles to Mike. Send 25.50 euros to Anna. Pay 7 dollars to Bob.
{"contractor": "Mike", "sum": 100.00, "currency": "RUB"}
{"contractor": "Anna", "sum": 25.50, "currency": "EUR"}

def fibonacci(n: int) -> int:
    """Return the n-th Fibonacci number."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


class Stack:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)

    def pop(self):
        return self.items.pop()


function add(a: number, b: number): number {
  return a + b;
}

export interface Options {
  readonly name: string;
  readonly count?: number;
}

const values = [1, 2, 3].map((v) => v * 2).filter((v) => v > 2);
for (let i = 0; i < values.length; i++) {
  console.log(`value ${i}: ${values[i]}`);
}

import numpy as np
x = np.zeros((3, 4), dtype=np.float32)
print(x.shape, x.sum())

The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.
Ünïcödé text: café, naïve, Zürich, São Paulo, Kraków. 你好，世界。こんにちは。🚀 ✓ ★
Tabs	and   runs    of     spaces, and
newlines

matter to a byte-level tokenizer.
'''
