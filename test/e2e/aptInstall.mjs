// The one apt-get command line test/e2e/setup.mjs runs, apart so a test can hold it to its promise:
// only what the e2e tests need. Without --no-install-recommends, Debian's Chromium pulls in
// recommended packages (on a bare system: 456 packages instead of 300, systemd, udev, avahi and
// printer tools among them). --no-upgrade leaves packages that are already installed as they are.
export function aptInstallArgs(packages) {
  return ['install', '-y', '-qq', '--no-install-recommends', '--no-upgrade', ...packages];
}

/** Why apt cannot run here, or undefined: apt-get needs root. */
export function aptBlocker(uid = process.getuid?.()) {
  if (uid === 0) return undefined;
  return 'apt-get needs root: run `sudo node test/e2e/setup.mjs` once (or install the packages above yourself), then `npm test` again';
}
