/**
 * Cursor positions in small TypeScript and JavaScript files written for this test (so no training
 * corpus holds them), `‸` marking the cursor: each file parses once the rest of the cursor's line
 * is written the way a programmer would. defaultModelQuality.test.ts completes each one with the
 * bundled default and parses the result.
 */
export const SCENARIOS: readonly string[] = [
  "import * as fs from ‸\n\nexport function readJson(path: string): unknown {\n  return JSON.parse(fs.readFileSync(path, 'utf8'));\n}\n",
  "const path = require(‸\n\nmodule.exports = function resolveHome(p) {\n  return path.join(process.env.HOME, p);\n};\n",
  'export function sum(values: number[]): number {\n  let total = 0;\n  for (const value of ‸\n    total += value;\n  }\n  return total;\n}\n',
  'export function isEven(n: number): boolean {\n  return n % ‸\n}\n',
  'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return ‸\n  if (x > hi) return hi;\n  return x;\n}\n',
  "export class Counter {\n  private count = 0;\n\n  increment(): void {\n    this.‸\n  }\n\n  get value(): number {\n    return this.count;\n  }\n}\n",
  "function greet(name) {\n  const message = 'Hello, ' + name;\n  console.‸\n  return message;\n}\n",
  'export async function fetchText(url: string): Promise<string> {\n  const response = await fetch(‸\n  return response.text();\n}\n',
  "const numbers = [1, 2, 3, 4];\nconst doubled = numbers.map(‸\nconsole.log(doubled);\n",
  "export interface User {\n  id: number;\n  name: ‸\n}\n",
  "export function last<T>(items: T[]): T | undefined {\n  return items[‸\n}\n",
  "const config = {\n  port: 8080,\n  host: ‸\n};\n\nexport default config;\n",
  "export function parseArgs(argv: string[]): Map<string, string> {\n  const result = new Map<string, string>();\n  for (let i = 0; i < argv.length; ‸\n    result.set(argv[i], argv[i + 1]);\n  }\n  return result;\n}\n",
  "import { EventEmitter } from 'node:events';\n\nexport class Queue extends ‸\n  private items: string[] = [];\n}\n",
  "function delay(ms) {\n  return new Promise((resolve) => ‸\n}\n",
  "export function capitalize(word: string): string {\n  return word.charAt(0).‸\n}\n",
];
