@RENAMED@
# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
_reply() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
@SCAN@
    if [[ -n $idpos ]]; then
        if [[ $idpos == first ]]; then
            _reply__static "$@"
        else
            COMPREPLY=()
        fi
        local id
        while IFS=$'\t' read -r id _; do
            [[ -n $id ]] && COMPREPLY+=("$id")
        done < <(command reply __complete-ids "${libs[@]}" -- "$cur" 2>/dev/null)
        return 0
    fi
    if [[ -n $sub && -z $ctx_known ]]; then
        # A bare query is `reply render QUERY`: complete render's options.
        COMP_WORDS=("${COMP_WORDS[0]}" render "${COMP_WORDS[@]:1}")
        (( COMP_CWORD++ ))
    fi
    _reply__static "$@"
}
