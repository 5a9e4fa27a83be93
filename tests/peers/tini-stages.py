#!/usr/bin/env python3
"""tini-stages.py - tini's own test programs (test/ of tini's Debian source
package) run under `umucg run`, checked the way tini's runner checks tini.
tini's runner (run_inner_tests.py) drives tini's own options (-e, -g, -p,
-w, TINI_* variables), so this driver runs the parts that test what any
subreaper must do, with umucg's options where umucg's contract asks for
them; the parts it leaves out, and why, are printed (tests/peers/README).

usage: tini-stages.py TINI_SRC UMUCG BASE WORKDIR
Prints TAP lines (no plan: test-peers.sh numbers them); exits 0.
"""
import os
import signal
import subprocess
import sys
import time

import psutil

SRC, UMUCG, BASE, WORK = sys.argv[1:5]
RUN = [UMUCG, "--base", BASE, "run"]
PY = sys.executable
DEVNULL = subprocess.DEVNULL


def report(ok, what, detail=""):
    print("{} - tini's {}{}".format("ok" if ok else "not ok", what,
                                    "" if ok else ": " + detail))
    sys.stdout.flush()


def wait_for(cond, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def stage(*parts):
    return os.path.join(SRC, "test", *parts)


def exit_codes():
    """The exit code test without -e: every status 0-255 passes through."""
    bad = []
    for code in range(256):
        r = subprocess.run(RUN + ["--", "sh", "-c", "exit {}".format(code)],
                           stdout=DEVNULL, stderr=DEVNULL, timeout=30)
        if r.returncode != code:
            bad.append("{} -> {}".format(code, r.returncode))
    report(not bad, "exit code test: statuses 0-255 pass through", ", ".join(bad[:5]))


def reaping():
    """stage_1 starts stage_2, which leaves 100 sleeps behind; stage_1
    waits until it is the only process under its init (umucg) and then
    checks that no other process is left in its process group. tini puts
    CMD in a process group of its own; umucg leaves CMD in the caller's
    (the terminal's job, DESIGN.md), so setsid(1) gives stage_1 its own
    group here (it execs, stage_1 stays umucg's child)."""
    r = subprocess.run(RUN + ["--", "setsid", PY, stage("reaping", "stage_1.py")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    report(r.returncode == 0, "reaping test (stage_1.py, stage_2.py)",
           "exit {}\nOUT: {}\nERR: {}".format(r.returncode, r.stdout[-500:], r.stderr[-500:]))


def signals(signum):
    """test.py resets TERM, USR1 and USR2 to their defaults and runs `sleep
    100` through a shell; the signal sent to the supervisor must end it with
    128 + signum. USR1 and USR2 reach CMD only (DESIGN.md), so the sleep
    outlives it: --kill-on-exit ends the rest, as tini leaves it behind."""
    p = subprocess.Popen(RUN + ["--kill-on-exit", "--", PY, stage("signals", "test.py")])
    try:
        up = wait_for(lambda: len(psutil.Process(p.pid).children(recursive=True)) > 1, 10)
        p.send_signal(signum)
        ret = p.wait(timeout=30)
    except (psutil.Error, subprocess.TimeoutExpired) as e:
        p.kill()
        p.wait()
        report(False, "signals test ({})".format(signal.Signals(signum).name), repr(e))
        return
    report(up and ret == 128 + signum,
           "signals test ({}): exit 128 + signal".format(signal.Signals(signum).name),
           "tree up: {}, exit {} (expected {})".format(up, ret, 128 + signum))


def sigconf():
    """sigconf-test ignores TTOU, SEGV and INT, blocks TTIN, ILL and TERM,
    and execs the supervisor: CMD must see the same ignored and blocked
    signals, whatever the supervisor did with them meanwhile."""
    exe = os.path.join(WORK, "sigconf-test")
    # The system's compiler: a sanitizer's runtime (CC under .ci/sanitize)
    # has no business in a test program of tini's.
    subprocess.run(["cc", "-o", exe, stage("sigconf", "sigconf-test.c")], check=True)
    # A umucg built with ASan (.ci/sanitize): its runtime installs handlers
    # for SEGV, BUS and FPE before main(), over the SIG_IGN it inherited;
    # these options leave them alone (other builds ignore the variable).
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(filter(None, (
        env.get("ASAN_OPTIONS"), "handle_segv=0:handle_sigbus=0:handle_sigfpe=0")))
    r = subprocess.run([exe] + RUN + ["--", "cat", "/proc/self/status"], env=env,
                       stdout=subprocess.PIPE, universal_newlines=True, timeout=30)
    masks = {}
    for line in r.stdout.splitlines():
        key, _, value = line.partition(":")
        if key in ("SigIgn", "SigBlk"):
            masks[key] = int(value.strip(), 16)
    want = {"SigIgn": (signal.SIGTTOU, signal.SIGSEGV, signal.SIGINT),
            "SigBlk": (signal.SIGTTIN, signal.SIGILL, signal.SIGTERM)}
    missing = ["{} not in {}".format(signal.Signals(s).name, k)
               for k, sigs in want.items() for s in sigs
               if not masks.get(k, 0) & (1 << (s - 1))]
    report(r.returncode == 0 and not missing,
           "signal configuration test (sigconf-test.c): CMD keeps the caller's ignored and blocked signals",
           "exit {}, {}".format(r.returncode, ", ".join(missing) or masks))


# stage_2.py and signals/test.py start with `#!/usr/bin/env python`.
bindir = os.path.join(WORK, "bin")
os.makedirs(bindir, exist_ok=True)
if not os.path.exists(os.path.join(bindir, "python")):
    os.symlink(PY, os.path.join(bindir, "python"))
os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")

exit_codes()
reaping()
for s in (signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2):
    signals(s)
sigconf()
for why in (
    "the inclusive exit code test (-e: tini's exit status remapping)",
    "the reaping display test (-w: tini's warning text)",
    "the process group tests (-g, TINI_KILL_PROCESS_GROUP): umucg sends USR1 "
    "to CMD only, a stop signal to the whole group (DESIGN.md)",
    "the zombie reaping failure test (tini without -s; umucg is always a subreaper)",
    "the parent death signal test (-p: umucg's --exit-with-parent ends the tree "
    "with TERM instead of forwarding a chosen signal)",
):
    print("# left out: {}".format(why))
sys.exit(0)
