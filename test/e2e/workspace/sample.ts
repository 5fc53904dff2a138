export function fibonacci(n: number): number {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) {
    [a, b] = [b, a + b];
  }
  return a;
}

export function greet(name: string): string {
  const message = `Hello, ${name}`;

  return message;
}

console.log(fibonacci(10), greet('world'));
