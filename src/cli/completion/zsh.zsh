# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
_reply() {
    local cur="${words[CURRENT]}"
@SCAN@
    if [[ -n $idpos ]]; then
        local -a described
        local line
        for line in "${(@f)$(command reply __complete-ids "${libs[@]}" -- "$cur" 2>/dev/null)}"; do
            [[ -n $line ]] || continue
            described+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
        done
        local ret=1
        if [[ $idpos == first ]]; then
            _reply__static "$@" && ret=0
        fi
        _describe -t reply-ids 'reply id' described && ret=0
        return $ret
    fi
    if [[ -n $sub && -z $ctx_known ]]; then
        # A bare query is `reply render QUERY`: complete render's options.
        words=("${words[1]}" render "${(@)words[2,-1]}")
        (( CURRENT++ ))
    fi
    _reply__static "$@"
}

