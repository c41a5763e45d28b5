# bash completion for pxauth.
#
# Load it in the current shell:  source <(pxauth completion bash)
# Load it in every new shell:    mkdir -p ~/.local/share/bash-completion/completions &&
#                                pxauth completion bash > ~/.local/share/bash-completion/completions/pxauth
#
# pxauth prints the candidates itself: it is called with the words before
# the cursor, the word being completed and --generate-bash-completion.

_pxauth_completions() {
	local line=${COMP_LINE:0:COMP_POINT}
	local -a words
	read -r -a words <<<"$line"
	if [[ ${#words[@]} -eq 0 || $line == *[[:space:]] ]]; then
		words+=("")
	fi
	local current=${words[${#words[@]}-1]}
	local program=${words[0]/#\~/$HOME}

	local IFS=$'\n'
	local -a candidates
	candidates=($("$program" "${words[@]:1}" --generate-bash-completion 2>/dev/null))

	# bash replaces only the part of the word after the last character of
	# COMP_WORDBREAKS (= and : among them), so that prefix is cut off.
	local typed=${COMP_WORDS[COMP_CWORD]}
	local prefix=""
	if [[ $current == *"$typed" ]]; then
		prefix=${current%"$typed"}
	fi

	# Each candidate is quoted for the shell (%q), so that a context name
	# with &, ' or $ in it is read back as that name.
	COMPREPLY=()
	local candidate quoted
	for candidate in "${candidates[@]}"; do
		candidate=${candidate%%$'\t'*}
		printf -v quoted '%q' "${candidate#"$prefix"}"
		COMPREPLY+=("$quoted")
	done
}

complete -o default -F _pxauth_completions pxauth
