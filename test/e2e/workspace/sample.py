def fibonacci(n):
    """Return the n-th Fibonacci number."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def greet(name):
    message = "Hello, " + name

    return message


if __name__ == "__main__":
    print(fibonacci(10))
    print(greet("world"))
