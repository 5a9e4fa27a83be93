# fish completion for umucg(1)
# The same commands and options as completion/umucg (bash) and
# completion/_umucg (zsh); tests/launchers/test-completion.sh checks all three
# against umucg's synopsis and each command's --help.

# __umucg_state: where the cursor is. Prints the command word ("" when none
# yet), then "opt" when the cursor is among umucg's own words or "cmd" when
# it is in the CMD [ARG...] that run and join start, then the number of
# positional words (NAME, PID...) before the cursor, then the index in
# (commandline -opc) where CMD starts.
function __umucg_state
    set -l tok (commandline -opc)
    # options that take a value (the next word)
    set -l valued --base --name --grace --timeout --linger --user --session --elogind-session --signal \
        --path --min-age -n -d --iterations --delay --mem --mem-max --swap-max --mem-low --pids \
        --cpu-weight --cpu-max --io-weight --cpus
    set -l cmd ""
    set -l npos 0
    set -l i 2
    while test $i -le (count $tok)
        set -l t $tok[$i]
        if contains -- $t $valued
            set i (math $i + 2)
            continue
        end
        if test -z "$cmd"
            if not string match -q -- '-*' $t
                set cmd $t
            end
        else if test "$t" = --
            if contains -- $cmd run join
                printf '%s\n' $cmd cmd $npos (math $i + 1)
                return
            end
        else if not string match -q -- '-*' $t
            set npos (math $npos + 1)
            # run's first positional word and join's second are CMD
            if test "$cmd" = run -a $npos = 1; or test "$cmd" = join -a $npos = 2
                printf '%s\n' $cmd cmd $npos $i
                return
            end
        end
        set i (math $i + 1)
    end
    # the word under the cursor starts CMD when it is not an option
    set -l cur (commandline -ct)
    if not string match -q -- '-*' $cur
        if test "$cmd" = run -a $npos = 0; or test "$cmd" = join -a $npos = 1
            printf '%s\n' $cmd cmd $npos $i
            return
        end
    end
    printf '%s\n' "$cmd" opt $npos 0
end

# __umucg_is CMD [NPOS]: the command word is CMD ("" for none yet), the
# cursor is among umucg's own words, and (with NPOS) that many positional
# words come before it.
function __umucg_is
    set -l s (__umucg_state)
    test "$s[1]" = "$argv[1]" -a "$s[2]" = opt; or return 1
    set -q argv[2]; and test "$s[3]" != "$argv[2]"; and return 1
    return 0
end

function __umucg_in_cmd
    set -l s (__umucg_state)
    test "$s[2]" = cmd
end

# __umucg_complete_cmd: complete CMD [ARG...] as its own command line.
function __umucg_complete_cmd
    set -l s (__umucg_state)
    set -l tok (commandline -opc)
    set -l rest (string escape -- $tok[$s[4]..-1]) (commandline -ct)
    complete -C (string join ' ' -- $rest)
end

# __umucg_groups: group names from 'umucg list --json', under the --base
# given on the line (names are [A-Za-z0-9._@:-] only: nothing to unescape).
function __umucg_groups
    set -l tok (commandline -opc)
    set -l base
    set -l i (contains -i -- --base $tok)
    and set -q tok[(math $i + 1)]
    and set base --base $tok[(math $i + 1)]
    $tok[1] $base list --json 2>/dev/null | string split , |
        string replace -rf '.*\{"name":"([^"]*)".*' '$1'
end

# ---- the CLI, in one place --------------------------------------------------
complete -c umucg -f

# global options and the commands
complete -c umucg -n '__umucg_is ""' -l base -x -a '(__fish_complete_directories)' -d 'where groups live'
complete -c umucg -n '__umucg_is ""' -l json -d 'machine-readable output'
complete -c umucg -n '__umucg_is ""' -l help -d 'show help'
complete -c umucg -n '__umucg_is ""' -l version -d 'print the version'
complete -c umucg -n '__umucg_is ""' -a run -d 'run CMD in a new group and supervise its whole tree'
complete -c umucg -n '__umucg_is ""' -a create -d 'make a group, print its absolute path'
complete -c umucg -n '__umucg_is ""' -a join -d 'move itself into a group, then exec CMD'
complete -c umucg -n '__umucg_is ""' -a move -d 'move processes into a group'
complete -c umucg -n '__umucg_is ""' -a list -d 'groups under the base, with usage'
complete -c umucg -n '__umucg_is ""' -a status -d 'limits, usage, peaks, events and tree of a group'
complete -c umucg -n '__umucg_is ""' -a top -d 'live view of every group'
complete -c umucg -n '__umucg_is ""' -a set -d 'change limits of a live group'
complete -c umucg -n '__umucg_is ""' -a stop -d 'signal a group, wait, cgroup.kill, remove it'
complete -c umucg -n '__umucg_is ""' -a kill -d 'cgroup.kill now (or a signal to every process)'
complete -c umucg -n '__umucg_is ""' -a freeze -d 'freeze every process of a group'
complete -c umucg -n '__umucg_is ""' -a thaw -d 'thaw a frozen group'
complete -c umucg -n '__umucg_is ""' -a gc -d 'remove groups whose manager is gone'
complete -c umucg -n '__umucg_is ""' -a setup -d '(root) prepare the base; delegate a subtree'
complete -c umucg -n '__umucg_is ""' -a doctor -d 'explain what works here and the fix'

# every command: --base and --help
for __umucg_c in run create join move list status top set stop kill freeze thaw gc setup doctor
    complete -c umucg -n "__umucg_is $__umucg_c" -l base -x -a '(__fish_complete_directories)' -d 'where groups live'
    complete -c umucg -n "__umucg_is $__umucg_c" -l help -d 'show help'
end
# --json where a command prints something
for __umucg_c in run create list status top gc doctor
    complete -c umucg -n "__umucg_is $__umucg_c" -l json -d 'machine-readable output'
end

# LIMITS: run, create, set
for __umucg_c in run create set
    complete -c umucg -n "__umucg_is $__umucg_c" -l mem -x -d 'memory.high: throttle above SIZE'
    complete -c umucg -n "__umucg_is $__umucg_c" -l mem-max -x -d 'memory.max: OOM-kill above SIZE'
    complete -c umucg -n "__umucg_is $__umucg_c" -l swap-max -x -d 'memory.swap.max'
    complete -c umucg -n "__umucg_is $__umucg_c" -l mem-low -x -d 'memory.low: protect SIZE from reclaim'
    complete -c umucg -n "__umucg_is $__umucg_c" -l pids -x -d 'pids.max: at most N processes'
    complete -c umucg -n "__umucg_is $__umucg_c" -l cpu-weight -x -d 'cpu.weight, 1..10000'
    complete -c umucg -n "__umucg_is $__umucg_c" -l cpu-max -x -d 'cpu.max, e.g. 150%'
    complete -c umucg -n "__umucg_is $__umucg_c" -l io-weight -x -d 'io.weight, 1..10000'
    complete -c umucg -n "__umucg_is $__umucg_c" -l cpus -x -d 'cpuset.cpus, e.g. 0-7,16-23'
end

# run
complete -c umucg -n '__umucg_is run' -l name -x -d "the group's name"
complete -c umucg -n '__umucg_is run' -l grace -x -d 'seconds between SIGTERM and cgroup.kill'
complete -c umucg -n '__umucg_is run' -l timeout -x -d 'end the tree after D; exit 124'
complete -c umucg -n '__umucg_is run' -l linger -x -d 'after CMD exits, wait at most D for the rest'
complete -c umucg -n '__umucg_is run' -l kill-on-exit -d 'end the rest of the tree when CMD exits'
complete -c umucg -n '__umucg_is run' -l kill-on-crash -d 'the same, only when CMD crashed'
complete -c umucg -n '__umucg_is run' -l exit-with-parent -d 'end the tree when the caller exits'
complete -c umucg -n '__umucg_is run' -l report -d 'print a summary at exit'
complete -c umucg -n '__umucg_is run' -l user -x -a '(__fish_complete_users)' -d '(root) run CMD as user U'
complete -c umucg -n '__umucg_is run' -l keep -d 'leave the empty group in place'
complete -c umucg -n '__umucg_is run' -l strict -d 'a missing controller is an error'
complete -c umucg -n '__umucg_is run' -l best-effort -d 'run without a missing controller (default)'
for __umucg_c in run create join move
    complete -c umucg -n "__umucg_is $__umucg_c" -l force -d "inside another user's subtree too"
end
complete -c umucg -n '__umucg_in_cmd' -x -a '(__umucg_complete_cmd)'

# create NAME
complete -c umucg -n '__umucg_is create' -l strict -d 'a missing controller is an error'
complete -c umucg -n '__umucg_is create' -l best-effort -d 'warn and go without such limits (the default)'

# join NAME CMD
complete -c umucg -n '__umucg_is join' -l path -x -a '(__fish_complete_directories)' -d "the group's absolute directory"
complete -c umucg -n '__umucg_is join 0' -a '(__umucg_groups)' -d group

# move NAME PID...
complete -c umucg -n '__umucg_is move' -l tree -d 'with all their descendants'
complete -c umucg -n '__umucg_is move 0' -a '(__umucg_groups)' -d group
complete -c umucg -n '__umucg_is move; and not __umucg_is move 0' -a '(__fish_complete_pids)'

# status, set, stop, kill, freeze, thaw NAME
for __umucg_c in status set stop kill freeze thaw
    complete -c umucg -n "__umucg_is $__umucg_c 0" -a '(__umucg_groups)' -d group
end
complete -c umucg -n '__umucg_is stop' -l grace -x -d 'seconds to wait after the signal'
for __umucg_c in stop kill
    complete -c umucg -n "__umucg_is $__umucg_c" -l signal -x -a '(command kill -l | string split -n " ")' -d 'the signal'
end
for __umucg_c in stop kill freeze thaw set
    complete -c umucg -n "__umucg_is $__umucg_c" -l force -d 'also a group umucg did not make, or your own'
end
for __umucg_c in freeze thaw
    complete -c umucg -n "__umucg_is $__umucg_c" -l timeout -x -d 'how long to wait for the kernel'
end

# top
complete -c umucg -n '__umucg_is top' -s b -l batch -d 'batch mode: plain text, no screen control'
complete -c umucg -n '__umucg_is top' -s n -l iterations -x -d 'stop after N updates'
complete -c umucg -n '__umucg_is top' -s d -l delay -x -d 'seconds between updates'

# gc
complete -c umucg -n '__umucg_is gc' -l stop -d 'also end live groups whose manager is gone'
complete -c umucg -n '__umucg_is gc' -l grace -x -d 'with --stop: seconds between SIGTERM and cgroup.kill'
complete -c umucg -n '__umucg_is gc' -l min-age -x -d 'minimum age of an empty created group'

# setup
complete -c umucg -n '__umucg_is setup' -l user -x -a '(__fish_complete_users)' -d 'delegate a subtree to user U'
complete -c umucg -n '__umucg_is setup' -l session -x -a '(__fish_complete_pids)' -d "move PID into a leaf of U's subtree"
complete -c umucg -n '__umucg_is setup' -l elogind-session -x -a '(loginctl --no-legend --no-pager list-sessions 2>/dev/null | string trim | string split -f1 " ")' -d "the elogind session whose cgroup holds U's subtree"
set -e __umucg_c
