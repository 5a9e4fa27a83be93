# completion: bash, zsh and fish completions, where each shell looks for them
# (the same commands and options in each; tests/launchers/test-completion.sh).
# zshcompletiondir and fishcompletiondir come from configure
# (--with-zshcompletiondir, --with-fishcompletiondir).
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completion/umucg
dist_zshcompletion_DATA = completion/_umucg
dist_fishcompletion_DATA = completion/umucg.fish
