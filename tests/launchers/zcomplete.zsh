#!/bin/zsh -f
# zcomplete.zsh DIR OUT LINE - what zsh's completion system offers for LINE
# (the cursor at its end), with the functions of DIR first in fpath. Drives an
# interactive zsh in a pseudo-terminal (zsh/zpty): compinit, LINE typed, TAB.
# Every match that compadd is given (after the prefix typed is applied) is
# appended to OUT, one a line, then "<END>". For tests/launchers/test-completion.sh.
emulate -L zsh
dir=$1 out=$2 line=$3
: >$out
zmodload zsh/zpty || { print -u2 "zcomplete: no zsh/zpty module"; exit 2; }
zpty z zsh -f -i
zpty -w z "PS1='' RPROMPT=''"
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no"
# compadd records what it is asked to add, then adds it; calls that only
# compute (-O, -A, -D) are passed on untouched
zpty -w z "compadd() { if (( ! \${@[(I)-[OAD]]} )); then local -a m; builtin compadd -O m \"\$@\"; (( \$#m )) && print -rl -- \"\${(@)m}\" >>${(q)out}; fi; builtin compadd \"\$@\"; }"
zpty -w z "zcomplete_done() { print -r -- '<END>' >>${(q)out}; exit }; comppostfuncs=(zcomplete_done)"
zpty -w z "bindkey '^I' complete-word"
zpty -w -n z "$line"$'\t'
integer i
for (( i = 0; i < 200; i++ )); do
	zpty -rt z junk 2>/dev/null
	grep -q '^<END>$' $out && break
	sleep 0.05
done
zpty -d z
grep -q '^<END>$' $out || { print -u2 "zcomplete: completing '$line' never ended"; exit 1; }
