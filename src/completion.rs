//! Shell completion scripts: clap_complete's static script for each shell,
//! wrapped so that the positions taking a reply id (`render`, `show`, `vars`
//! and the bare `reply QUERY`) ask `reply __complete-ids` for the ids of the
//! libraries in use at completion time.
//!
//! Why wrap instead of clap_complete's dynamic `CompleteEnv`: that engine sits
//! behind the `unstable-dynamic` feature, needs a hook in `main` before the
//! arguments are parsed, and ties the clap types to the library code; the
//! static scripts are stable, and the wrapper only adds what they cannot know.

use clap::Command;

/// The shells `reply completions` supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    PowerShell,
}

/// The canonical names of the subcommands whose first positional is an id.
const ID_COMMANDS: &[&str] = &["render", "show", "vars"];

/// What the wrappers need to know about the command line: which options take
/// a value (so the word after them is not a positional), per command.
struct Shape {
    /// Options taking a value at the top level or after a bare query
    /// (`reply refund -c Ana`): the globals and render's.
    root: Vec<String>,
    /// Each subcommand: its names (aliases included), its options taking a value.
    subcommands: Vec<(Vec<String>, Vec<String>)>,
    /// The names, aliases included, of the subcommands in `ID_COMMANDS`.
    id_commands: Vec<String>,
}

fn value_options(cmd: &Command) -> Vec<String> {
    let mut opts = Vec::new();
    for arg in cmd.get_arguments() {
        if arg.is_positional() || !arg.get_action().takes_values() {
            continue;
        }
        for s in arg.get_short_and_visible_aliases().unwrap_or_default() {
            opts.push(format!("-{s}"));
        }
        for l in arg.get_long_and_visible_aliases().unwrap_or_default() {
            opts.push(format!("--{l}"));
        }
    }
    opts
}

fn shape(cmd: &mut Command) -> Shape {
    // Building propagates the global options (`-L`, `--color`…) to every subcommand.
    cmd.build();
    let mut subcommands = Vec::new();
    let mut id_commands = Vec::new();
    for sub in cmd.get_subcommands() {
        let mut names = vec![sub.get_name().to_string()];
        names.extend(sub.get_all_aliases().map(str::to_string));
        if ID_COMMANDS.contains(&sub.get_name()) {
            id_commands.extend(names.iter().cloned());
        }
        subcommands.push((names, value_options(sub)));
    }
    // `reply QUERY -c Ana` is `reply render QUERY -c Ana` (see
    // `cli::normalize_args`): at the top level, render's options apply too.
    let mut root = value_options(cmd);
    if let Some(render) = cmd.find_subcommand("render") {
        root.extend(value_options(render));
    }
    root.sort();
    root.dedup();
    Shape {
        root,
        subcommands,
        id_commands,
    }
}

/// The completion script for `shell`.
pub fn script(shell: Shell, mut cmd: Command) -> String {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Elvish => clap_complete::Shell::Elvish,
        Shell::PowerShell => clap_complete::Shell::PowerShell,
    };
    let mut buf = Vec::new();
    clap_complete::generate(generator, &mut cmd, "reply", &mut buf);
    let generated = String::from_utf8_lossy(&buf).into_owned();
    let shape = shape(&mut cmd);
    match shell {
        Shell::Bash => bash(&generated, &shape),
        Shell::Zsh => zsh(&generated, &shape),
        Shell::Fish => fish(&generated, &shape),
        Shell::Elvish => elvish(&generated, &shape),
        Shell::PowerShell => generated,
    }
}

/// `case` patterns (bash, zsh) matching "SUBCOMMAND OPTION" for every option
/// that takes a value; the top level is the empty subcommand.
fn case_patterns(shape: &Shape) -> String {
    let mut pats: Vec<String> = shape.root.iter().map(|o| format!("' {o}'")).collect();
    for (names, opts) in &shape.subcommands {
        for n in names {
            pats.extend(opts.iter().map(|o| format!("'{n} {o}'")));
        }
    }
    pats.join("|")
}

fn known_subcommands(shape: &Shape) -> Vec<String> {
    shape
        .subcommands
        .iter()
        .flat_map(|(n, _)| n.iter().cloned())
        .collect()
}

/// The part of the bash and zsh wrappers that reads the words before the
/// cursor: sets `sub` (the first positional: a subcommand or a query), `npos`
/// (positionals after it), `skip` (non-empty when the word under the cursor is
/// an option's value), `libs` (the `-L DIR` given, for `__complete-ids`) and
/// `idpos`: `first` at the first positional (a subcommand or an id), `id`
/// where only an id fits, empty elsewhere; `ctx_known` set when `sub` is a
/// subcommand (not a bare query). Expects `cur`.
fn posix_scan(shape: &Shape, first: &str, words: &str, cword: &str) -> String {
    format!(
        r#"    local sub="" skip="" w ctx
    local -i npos=0 i
    local -a libs
    libs=()
    for (( i = {first}; i < {cword}; i++ )); do
        w="${{{words}[i]}}"
        if [[ -n $skip ]]; then
            if [[ $skip == -L || $skip == --library ]]; then
                libs+=(--library "${{w/#\~/$HOME}}")
            fi
            skip=""
            continue
        fi
        case "$w" in
            --library=*) libs+=(--library "${{w#--library=}}"); continue ;;
            --*=*) continue ;;
            -?*)
                case "$sub" in
                    {known}) ctx="$sub" ;;
                    *) ctx="" ;;
                esac
                case "$ctx $w" in
                    {patterns}) skip="$w" ;;
                esac
                continue
                ;;
        esac
        if [[ -z $sub ]]; then sub="$w"; else npos+=1; fi
    done
    local ctx_known=""
    case "$sub" in
        {known}) ctx_known=1 ;;
    esac
    local idpos=""
    if [[ -z $skip && $cur != -* ]]; then
        if [[ -z $sub ]]; then
            idpos=first
        elif (( npos == 0 )); then
            case "$sub" in
                {ids}) idpos=id ;;
            esac
        fi
    fi
"#,
        known = known_subcommands(shape).join("|"),
        patterns = case_patterns(shape),
        ids = shape.id_commands.join("|"),
    )
}

fn bash(generated: &str, shape: &Shape) -> String {
    let renamed = generated.replacen("_reply() {", "_reply__static() {", 1);
    format!(
        r#"{renamed}
# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
_reply() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}"
{scan}
    if [[ -n $idpos ]]; then
        if [[ $idpos == first ]]; then
            _reply__static "$@"
        else
            COMPREPLY=()
        fi
        local id
        while IFS=$'\t' read -r id _; do
            [[ -n $id ]] && COMPREPLY+=("$id")
        done < <(command reply __complete-ids "${{libs[@]}}" -- "$cur" 2>/dev/null)
        return 0
    fi
    if [[ -n $sub && -z $ctx_known ]]; then
        # A bare query is `reply render QUERY`: complete render's options.
        COMP_WORDS=("${{COMP_WORDS[0]}}" render "${{COMP_WORDS[@]:1}}")
        (( COMP_CWORD++ ))
    fi
    _reply__static "$@"
}}
"#,
        scan = posix_scan(shape, "1", "COMP_WORDS", "COMP_CWORD"),
    )
}

fn zsh(generated: &str, shape: &Shape) -> String {
    let renamed = generated.replacen("_reply() {", "_reply__static() {", 1);
    let wrapper = format!(
        r#"# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
_reply() {{
    local cur="${{words[CURRENT]}}"
{scan}
    if [[ -n $idpos ]]; then
        local -a described
        local line
        for line in "${{(@f)$(command reply __complete-ids "${{libs[@]}}" -- "$cur" 2>/dev/null)}}"; do
            [[ -n $line ]] || continue
            described+=("${{${{line%%$'\t'*}}//:/\\:}}:${{line#*$'\t'}}")
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
        words=("${{words[1]}}" render "${{(@)words[2,-1]}}")
        (( CURRENT++ ))
    fi
    _reply__static "$@"
}}

"#,
        scan = posix_scan(shape, "2", "words", "CURRENT"),
    );
    // The wrapper must exist before the generated tail registers `_reply`.
    let tail = "if [ \"$funcstack[1]\" = \"_reply\" ]; then";
    match renamed.rfind(tail) {
        Some(i) => format!("{}{wrapper}{}", &renamed[..i], &renamed[i..]),
        None => format!("{renamed}\n{wrapper}compdef _reply reply\n"),
    }
}

fn fish(generated: &str, shape: &Shape) -> String {
    let mut cases = String::new();
    let root: Vec<String> = shape.root.iter().map(|o| format!("':{o}'")).collect();
    if !root.is_empty() {
        cases.push_str(&format!(
            "        case {}\n            return 0\n",
            root.join(" ")
        ));
    }
    for (names, opts) in &shape.subcommands {
        let pats: Vec<String> = names
            .iter()
            .flat_map(|n| opts.iter().map(move |o| format!("'{n}:{o}'")))
            .collect();
        if !pats.is_empty() {
            cases.push_str(&format!(
                "        case {}\n            return 0\n",
                pats.join(" ")
            ));
        }
    }
    format!(
        r#"{generated}
# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
function __reply_takes_value
    set -l ctx $argv[1]
    contains -- $ctx {known}
    or set ctx ''
    switch "$ctx:$argv[2]"
{cases}    end
    return 1
end

# Prints the -L/--library options given, then succeeds if the word being
# completed is a reply id (the first positional, or that of {id_list}).
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
    contains -- $sub {ids}
    and test $npos -eq 0
end

function __reply_ids
    set -l libs (__reply_id_position)
    command reply __complete-ids $libs -- (commandline -ct) 2>/dev/null
end

complete -c reply -n '__reply_id_position >/dev/null' -f -a '(__reply_ids)'
"#,
        known = known_subcommands(shape).join(" "),
        ids = shape.id_commands.join(" "),
        id_list = ID_COMMANDS.join(", "),
    )
}

fn elvish(generated: &str, shape: &Shape) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut takes = Vec::new();
    for o in &shape.root {
        takes.push(format!("&{}=$true", quote(&format!(" {o}"))));
    }
    for (names, opts) in &shape.subcommands {
        for n in names {
            for o in opts {
                takes.push(format!("&{}=$true", quote(&format!("{n} {o}"))));
            }
        }
    }
    let list = |v: &[String]| v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(" ");
    format!(
        r#"{generated}
# Reply ids: `reply __complete-ids` prints "id<TAB>title" for the libraries in
# use, so the completion follows REPLY_LIBRARY, the config and any -L given.
var reply-static-completer = $edit:completion:arg-completer[reply]
set edit:completion:arg-completer[reply] = {{|@words|
    var takes = [{takes}]
    var known = [{known}]
    var ids = [{ids}]
    var sub = ''
    var npos = (num 0)
    var skip = ''
    var libs = []
    for w $words[1..-1] {{
        if (not-eq $skip '') {{
            if (has-value ['-L' '--library'] $skip) {{
                set libs = [$@libs --library $w]
            }}
            set skip = ''
        }} elif (str:has-prefix $w '--library=') {{
            set libs = [$@libs --library (str:trim-prefix $w '--library=')]
        }} elif (and (str:has-prefix $w '--') (str:contains $w '=')) {{
        }} elif (and (str:has-prefix $w '-') (> (count $w) 1)) {{
            var ctx = ''
            if (has-value $known $sub) {{
                set ctx = $sub
            }}
            if (has-key $takes $ctx' '$w) {{
                set skip = $w
            }}
        }} elif (eq $sub '') {{
            set sub = $w
        }} else {{
            set npos = (+ $npos 1)
        }}
    }}
    var cur = $words[-1]
    if (and (eq $skip '') (not (str:has-prefix $cur '-')) (or (eq $sub '') (and (has-value $ids $sub) (== $npos 0)))) {{
        if (eq $sub '') {{
            $reply-static-completer $@words
        }}
        try {{
            e:reply __complete-ids $@libs -- $cur 2>/dev/null | from-lines | each {{|line|
                var parts = [(str:split "\t" $line)]
                edit:complex-candidate $parts[0] &display=$parts[0]' '(str:join ' ' $parts[1..])
            }}
        }} catch {{ }}
    }} else {{
        $reply-static-completer $@words
    }}
}}
"#,
        takes = takes.join(" "),
        known = list(&known_subcommands(shape)),
        ids = list(&shape.id_commands),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    #[test]
    fn shape_sees_globals_aliases_and_values() {
        let s = shape(&mut Cli::command());
        assert!(s.root.contains(&"-c".to_string()));
        assert!(s.root.contains(&"--library".to_string()));
        assert!(!s.root.contains(&"--json".to_string()));
        let show = s.subcommands.iter().find(|(n, _)| n[0] == "show").unwrap();
        assert!(show.1.contains(&"-L".to_string()), "globals propagate");
        assert!(s.id_commands.contains(&"r".to_string()));
        assert!(!s.id_commands.contains(&"list".to_string()));
    }

    #[test]
    fn every_script_keeps_the_generated_one() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish] {
            let s = script(shell, Cli::command());
            assert!(s.contains("__complete-ids"), "{shell:?}");
        }
        let bash = script(Shell::Bash, Cli::command());
        assert!(bash.contains("_reply__static() {"));
        assert!(bash.contains("complete -F _reply "));
        let zsh = script(Shell::Zsh, Cli::command());
        assert!(zsh.find("\n_reply() {") < zsh.find("compdef _reply reply"));
    }
}
