#compdef pxauth
# zsh completion for pxauth.
#
# Load it in the current shell:  source <(pxauth completion zsh)   (after compinit)
# Load it in every new shell:    pxauth completion zsh > "${fpath[1]}/_pxauth"
#
# pxauth prints the candidates itself: it is called with the words before
# the cursor, the word being completed and --generate-bash-completion.

_pxauth() {
	local -a candidates
	local output entry value description
	output=$("${(Q)words[1]}" "${(@Q)words[2,CURRENT-1]}" "${(Q)PREFIX}" --generate-bash-completion 2>/dev/null)

	for entry in "${(@f)output}"; do
		[[ -n $entry ]] || continue
		value=${entry%%$'\t'*}
		value=${value//:/\\:}
		if [[ $entry == *$'\t'* ]]; then
			description=${entry#*$'\t'}
			candidates+=("$value:$description")
		else
			candidates+=("$value")
		fi
	done

	if (( ${#candidates} )); then
		_describe -t pxauth 'pxauth' candidates
	else
		_files
	fi
}

if [[ ${funcstack[1]} == _pxauth ]]; then
	_pxauth "$@"
else
	compdef _pxauth pxauth
fi
