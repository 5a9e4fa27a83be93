"""umucg_stop_signals.py - a pytest plugin that test-peers.sh loads into
dumb-init's test suite (-p). Its test_proxies_signals sends the signals
1-31 one after another to the supervisor and reads each back from CMD.
Two of umucg's documented answers differ from dumb-init's (DESIGN.md,
signals to umucg), so the list it sends leaves out:
- SIGHUP, SIGINT and SIGQUIT: the second of SIGHUP, SIGINT, SIGQUIT and
  SIGTERM ends the tree at once (a doubled Ctrl-C), so SIGTERM stays alone
  of the four;
- SIGCONT: job control. It thaws what a stop froze; a shell's `fg` sends
  it to the whole job, CMD included, and umucg does not send it again.
tests/integ/test_signals sends each of these on its own."""
import signal

import testing

testing.NORMAL_SIGNALS = testing.NORMAL_SIGNALS - {
    signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGCONT}
