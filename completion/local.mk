# completion: bash, zsh and fish completions, where each shell looks for them
# (the same commands and options in each; tests/launchers/test-completion.sh).
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completion/umucg
zshcompletiondir = $(datadir)/zsh/site-functions
dist_zshcompletion_DATA = completion/_umucg
fishcompletiondir = $(datadir)/fish/vendor_completions.d
dist_fishcompletion_DATA = completion/umucg.fish
