import Mocha from 'mocha';

/** Starts every line the reporter prints, so a driver can pick them out of the host's log. */
export const reportPrefix = '[mocha] ';

const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

/**
 * One finished console.log line per event. Mocha's spec reporter logs printf-style format
 * strings and arguments, which arrive unformatted through code-server's automation log.
 */
export class PlainReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const print = (line: string) => console.log(`${reportPrefix}${line}`);
    const failures: string[] = [];
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (!suite.root) print(suite.fullTitle());
    });
    runner.on(EVENT_TEST_PASS, (test) => print(`  ✔ ${test.title} (${test.duration} ms)`));
    runner.on(EVENT_TEST_PENDING, (test) => print(`  - ${test.title} (pending)`));
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => {
      failures.push(`${test.fullTitle()}\n${error.stack ?? error.message}`);
      print(`  ✘ ${test.title} (${failures.length})`);
    });
    runner.once(EVENT_RUN_END, () => {
      failures.forEach((failure, i) => {
        for (const line of `${i + 1}) ${failure}`.split('\n')) print(line);
      });
      const { passes, failures: failed, pending } = this.stats;
      print(`${passes} passing, ${failed} failing, ${pending} pending`);
    });
  }
}
