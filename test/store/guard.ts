/**
 * Fails a test that left an unhandled promise rejection or wrote a console error. Call
 * `guardAgainstStrayErrors()` inside a `describe` (or at the top of a file for all of them).
 */
export function guardAgainstStrayErrors(): void {
  let problems: string[] = [];
  const originalError = console.error;

  const onRejection = (event: PromiseRejectionEvent) => {
    const reason = event.reason as unknown;
    problems.push(
      `unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`,
    );
  };

  beforeEach(() => {
    problems = [];
    window.addEventListener('unhandledrejection', onRejection);
    console.error = (...args: unknown[]) => {
      problems.push(`console.error: ${args.map((a) => String(a)).join(' ')}`);
      originalError.apply(console, args);
    };
  });

  afterEach(async () => {
    // 'unhandledrejection' is fired after a task; let one pass before looking.
    await new Promise((resolve) => setTimeout(resolve, 0));
    window.removeEventListener('unhandledrejection', onRejection);
    console.error = originalError;
    if (problems.length > 0) {
      const found = problems;
      problems = [];
      throw new Error(`stray errors during the test:\n${found.join('\n')}`);
    }
  });
}
