    local sub="" skip="" w ctx
    local -i npos=0 i
    local -a libs
    libs=()
    for (( i = @FIRST@; i < @CWORD@; i++ )); do
        w="${@WORDS@[i]}"
        if [[ -n $skip ]]; then
            if [[ $skip == -L || $skip == --library ]]; then
                libs+=(--library "${w/#\~/$HOME}")
            fi
            skip=""
            continue
        fi
        case "$w" in
            --library=*) libs+=(--library "${w#--library=}"); continue ;;
            --*=*) continue ;;
            -?*)
                case "$sub" in
                    @KNOWN@) ctx="$sub" ;;
                    *) ctx="" ;;
                esac
                case "$ctx $w" in
                    @PATTERNS@) skip="$w" ;;
                esac
                continue
                ;;
        esac
        if [[ -z $sub ]]; then sub="$w"; else npos+=1; fi
    done
    local ctx_known=""
    case "$sub" in
        @KNOWN@) ctx_known=1 ;;
    esac
    local idpos=""
    if [[ -z $skip && $cur != -* ]]; then
        if [[ -z $sub ]]; then
            idpos=first
        elif (( npos == 0 )); then
            case "$sub" in
                @IDS@) idpos=id ;;
            esac
        fi
    fi
