/** Where commands print, and how they ask for a non-zero exit without throwing. */
export interface Output {
  line(text: string): void;
  lines(texts: string[]): void;
  json(value: unknown): void;
  error(text: string): void;
  exitWith(code: number): void;
  readonly exitCode: number;
}

export function processOutput(): Output {
  let exitCode = 0;
  return {
    line: (text) => void process.stdout.write(`${text}\n`),
    lines: (texts) => void process.stdout.write(texts.map((text) => `${text}\n`).join('')),
    json: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    error: (text) => void process.stderr.write(`${text}\n`),
    exitWith: (code) => {
      exitCode = code;
    },
    get exitCode() {
      return exitCode;
    },
  };
}
