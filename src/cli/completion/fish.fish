@GENERATED@
# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
function __reply_takes_value
    set -l ctx $argv[1]
    contains -- $ctx @KNOWN@
    or set ctx ''
    switch "$ctx:$argv[2]"
@CASES@    end
    return 1
end

# Prints the -L/--library options given, then succeeds if the word being
# completed is a reply id (the first positional, or that of @ID_LIST@).
function __reply_id_position
    set -l sub ''
    set -l npos 0
    set -l skip ''
    set -l libs
    for w in (commandline -opc)[2..-1]
        if test -n "$skip"
            contains -- $skip -L --library
            and set -a libs --library $w
            set skip ''
            continue
        end
        switch $w
            case '--library=*'
                set -a libs --library (string replace -- '--library=' '' $w)
                continue
            case '--*=*'
                continue
            case '-?*'
                __reply_takes_value "$sub" $w
                and set skip $w
                continue
        end
        if test -z "$sub"
            set sub $w
        else
            set npos (math $npos + 1)
        end
    end
    string join \n -- $libs
    test -z "$skip"
    or return 1
    string match -q -- '-*' (commandline -ct)
    and return 1
    test -z "$sub"
    and return 0
    contains -- $sub @IDS@
    and test $npos -eq 0
end

function __reply_ids
    set -l libs (__reply_id_position)
    command reply __complete-ids $libs -- (commandline -ct) 2>/dev/null
end

complete -c reply -n '__reply_id_position >/dev/null' -f -a '(__reply_ids)'
