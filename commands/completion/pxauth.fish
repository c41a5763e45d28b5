# fish completion for pxauth.
#
# Load it in the current shell:  pxauth completion fish | source
# Load it in every new shell:    pxauth completion fish > ~/.config/fish/completions/pxauth.fish
#
# pxauth prints the candidates itself: it is called with the words before
# the cursor, the word being completed and --generate-bash-completion.

function __pxauth_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l candidates ($words[1] $words[2..-1] $current --generate-bash-completion 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\n' $candidates
    else
        __fish_complete_path $current
    end
end

complete -c pxauth -f -a '(__pxauth_complete)'
