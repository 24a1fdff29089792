@GENERATED@
# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
var reply-static-completer = $edit:completion:arg-completer[reply]
set edit:completion:arg-completer[reply] = {|@words|
    var takes = [@TAKES@]
    var known = [@KNOWN@]
    var ids = [@IDS@]
    var sub = ''
    var npos = (num 0)
    var skip = ''
    var libs = []
    for w $words[1..-1] {
        if (not-eq $skip '') {
            if (has-value ['-L' '--library'] $skip) {
                set libs = [$@libs --library $w]
            }
            set skip = ''
        } elif (str:has-prefix $w '--library=') {
            set libs = [$@libs --library (str:trim-prefix $w '--library=')]
        } elif (and (str:has-prefix $w '--') (str:contains $w '=')) {
        } elif (and (str:has-prefix $w '-') (> (count $w) 1)) {
            var ctx = ''
            if (has-value $known $sub) {
                set ctx = $sub
            }
            if (has-key $takes $ctx' '$w) {
                set skip = $w
            }
        } elif (eq $sub '') {
            set sub = $w
        } else {
            set npos = (+ $npos 1)
        }
    }
    var cur = $words[-1]
    if (and (eq $skip '') (not (str:has-prefix $cur '-')) (or (eq $sub '') (and (has-value $ids $sub) (== $npos 0)))) {
        if (eq $sub '') {
            $reply-static-completer $@words
        }
        try {
            e:reply __complete-ids $@libs -- $cur 2>/dev/null | from-lines | each {|line|
                var parts = [(str:split "\t" $line)]
                edit:complex-candidate $parts[0] &display=$parts[0]' '(str:join ' ' $parts[1..])
            }
        } catch { }
    } else {
        $reply-static-completer $@words
    }
}
