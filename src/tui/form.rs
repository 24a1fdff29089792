//! The fill-in prompts: one field per value still needed, in the order the
//! template uses them, each as its declaration says (a text checked against
//! its pattern, a menu of choices, a yes/no toggle), with its default taken by
//! Enter. Pure: keys in, state out; `view` draws it, with the preview above.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::compose::declared;
use crate::library::{Value, VarKind, VarSpec};

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Text {
        typed: String,
        /// Taken by Enter on an empty field.
        default: Option<String>,
        /// Earlier answers (most recent first), offered with Up and Down.
        recent: Vec<String>,
        at_recent: Option<usize>,
    },
    Choice {
        options: Vec<String>,
        at: usize,
    },
    Toggle {
        on: bool,
    },
}

/// What to ask for one value.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub spec: Option<VarSpec>,
    /// The template has no fallback: a blank answer is refused.
    pub required: bool,
    pub input: Input,
    /// The answer, once given (`None` for an optional field left blank).
    pub answer: Option<Value>,
    /// A config key the answer may be saved as (`agent`, `brand`).
    pub saves_as: Option<&'static str>,
    /// The default was found in the customer's message: the person confirms it.
    pub found: bool,
}

/// A field to build, before the recent values and defaults are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub name: String,
    pub spec: Option<VarSpec>,
    pub required: bool,
    pub recent: Vec<String>,
    /// A value found in the customer's message: the default, for the person
    /// to confirm with Enter or replace.
    pub found: Option<String>,
}

impl Field {
    pub fn new(ask: Ask) -> Field {
        let Ask {
            name,
            spec,
            required,
            recent,
            found,
        } = ask;
        let (label, saves_as) = match name.as_str() {
            "agent" => (
                "Your name, as customers should see it".to_string(),
                Some("agent"),
            ),
            "brand" => (
                "Your brand, as customers know it".to_string(),
                Some("brand"),
            ),
            "customer" => ("The customer's name".to_string(), None),
            other => (
                spec.as_ref()
                    .and_then(|s| s.prompt.clone())
                    .unwrap_or_else(|| other.to_string()),
                None,
            ),
        };
        let from_message = found.is_some();
        let default_text = found.or_else(|| {
            spec.as_ref().and_then(|s| match &s.default {
                Some(Value::String(d)) => Some(d.clone()),
                Some(Value::Bool(b)) => Some(b.to_string()),
                Some(other) => Some(other.to_string()),
                None => None,
            })
        });
        let input = match &spec {
            Some(s) if s.kind == VarKind::Bool => Input::Toggle {
                on: matches!(s.default, Some(Value::Bool(true))),
            },
            Some(s) if !s.choices.is_empty() => Input::Choice {
                at: default_text
                    .as_deref()
                    .and_then(|d| s.choices.iter().position(|c| c == d))
                    .unwrap_or(0),
                options: s.choices.clone(),
            },
            _ => Input::Text {
                typed: String::new(),
                default: default_text.or_else(|| recent.first().cloned()),
                recent,
                at_recent: None,
            },
        };
        Field {
            name,
            label,
            spec,
            required,
            input,
            answer: None,
            saves_as,
            found: from_message,
        }
    }

    /// The value as it stands (for the live preview): the answer, else what is typed.
    pub fn current(&self) -> Option<Value> {
        if self.answer.is_some() {
            return self.answer.clone();
        }
        match &self.input {
            Input::Text { typed, .. } if !typed.trim().is_empty() => {
                Some(Value::String(typed.clone()))
            }
            Input::Text { .. } => None,
            Input::Choice { options, at } => options.get(*at).cloned().map(Value::String),
            Input::Toggle { on } => Some(Value::Bool(*on)),
        }
    }

    /// Takes what is typed as the answer, or says why not.
    fn accept(&mut self) -> Result<(), String> {
        let value = match &self.input {
            Input::Text { typed, default, .. } => {
                let text = typed.trim();
                let text = if text.is_empty() {
                    match default {
                        Some(d) => d.as_str(),
                        None if self.required => {
                            return Err(
                                "a value is needed here: nothing goes out with a gap".into()
                            );
                        }
                        None => {
                            self.answer = None;
                            return Ok(());
                        }
                    }
                } else {
                    text
                };
                match &self.spec {
                    Some(spec) => declared::check(spec, text)?,
                    None => Value::String(text.to_string()),
                }
            }
            Input::Choice { options, at } => {
                Value::String(options.get(*at).cloned().unwrap_or_default())
            }
            Input::Toggle { on } => Value::Bool(*on),
        };
        self.answer = Some(value);
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Stay,
    /// Every field answered.
    Done,
    Cancel,
    Interrupt,
}

/// One yes/no per answer that could be saved in the config.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveOffer {
    pub key: &'static str,
    pub value: String,
    pub on: bool,
}

pub struct Form {
    pub fields: Vec<Field>,
    pub at: usize,
    /// Why the last Enter was refused.
    pub problem: Option<String>,
    /// After the fields: whether to remember the agent and brand typed.
    pub offers: Vec<SaveOffer>,
    /// On the offers page (after the last field).
    pub offering: bool,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        Form {
            fields,
            at: 0,
            problem: None,
            offers: Vec::new(),
            offering: false,
        }
    }

    pub fn current(&self) -> Option<&Field> {
        self.fields.get(self.at)
    }

    /// Every value known now: answers, and what is being typed.
    pub fn values(&self) -> Vec<(String, Value)> {
        self.fields
            .iter()
            .filter_map(|f| f.current().map(|v| (f.name.clone(), v)))
            .collect()
    }

    /// The answers given (for the render): blank optional fields left out.
    pub fn answers(&self) -> Vec<(String, Value)> {
        self.fields
            .iter()
            .filter_map(|f| f.answer.clone().map(|v| (f.name.clone(), v)))
            .collect()
    }

    pub fn key(&mut self, k: KeyEvent) -> Step {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if k.code == KeyCode::Char('c') && ctrl {
            return Step::Interrupt;
        }
        if k.code == KeyCode::Esc {
            return Step::Cancel;
        }
        if self.offering {
            return self.offer_key(k);
        }
        let Some(field) = self.fields.get_mut(self.at) else {
            return Step::Done;
        };
        match k.code {
            KeyCode::Enter => match field.accept() {
                Ok(()) => {
                    self.problem = None;
                    self.at += 1;
                    if self.at >= self.fields.len() {
                        return self.finish();
                    }
                }
                Err(why) => self.problem = Some(why),
            },
            KeyCode::BackTab => {
                self.problem = None;
                self.at = self.at.saturating_sub(1);
                if let Some(f) = self.fields.get_mut(self.at) {
                    f.answer = None;
                }
            }
            _ => edit(&mut field.input, k),
        }
        Step::Stay
    }

    /// After the last field: offer to remember the agent and brand typed; done
    /// when there is nothing to offer.
    fn finish(&mut self) -> Step {
        self.offers = self
            .fields
            .iter()
            .filter_map(|f| match (&f.saves_as, &f.answer) {
                (Some(key), Some(Value::String(v))) => Some(SaveOffer {
                    key,
                    value: v.clone(),
                    on: true,
                }),
                _ => None,
            })
            .collect();
        if self.offers.is_empty() {
            Step::Done
        } else {
            self.offering = true;
            self.at = 0;
            Step::Stay
        }
    }

    fn offer_key(&mut self, k: KeyEvent) -> Step {
        let Some(offer) = self.offers.get_mut(self.at) else {
            return Step::Done;
        };
        match k.code {
            KeyCode::Enter => {
                self.at += 1;
                if self.at >= self.offers.len() {
                    return Step::Done;
                }
            }
            KeyCode::Char('y' | 'Y') => offer.on = true,
            KeyCode::Char('n' | 'N') => offer.on = false,
            KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right => offer.on = !offer.on,
            KeyCode::BackTab if self.at > 0 => self.at -= 1,
            _ => {}
        }
        Step::Stay
    }
}

/// Editing keys for one input.
fn edit(input: &mut Input, k: KeyEvent) {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match input {
        Input::Text {
            typed,
            recent,
            at_recent,
            ..
        } => match k.code {
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char('u') if ctrl => typed.clear(),
            KeyCode::Char('w') if ctrl => {
                let kept = typed.trim_end().rfind(' ').map_or(0, |i| i + 1);
                typed.truncate(kept);
            }
            KeyCode::Up if !recent.is_empty() => {
                let next = at_recent.map_or(0, |i| (i + 1).min(recent.len() - 1));
                *at_recent = Some(next);
                *typed = recent[next].clone();
            }
            KeyCode::Down => match *at_recent {
                Some(0) | None => {
                    *at_recent = None;
                    typed.clear();
                }
                Some(i) => {
                    *at_recent = Some(i - 1);
                    *typed = recent[i - 1].clone();
                }
            },
            KeyCode::Char(c) if !ctrl && !k.modifiers.contains(KeyModifiers::ALT) => typed.push(c),
            _ => {}
        },
        Input::Choice { options, at } => match k.code {
            KeyCode::Up | KeyCode::Left => *at = at.saturating_sub(1),
            KeyCode::Down | KeyCode::Right | KeyCode::Tab => {
                *at = (*at + 1).min(options.len().saturating_sub(1))
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                let n = c.to_digit(10).unwrap_or(0) as usize;
                if n >= 1 && n <= options.len() {
                    *at = n - 1;
                }
            }
            _ => {}
        },
        Input::Toggle { on } => match k.code {
            KeyCode::Char('y' | 'Y') => *on = true,
            KeyCode::Char('n' | 'N') => *on = false,
            KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right | KeyCode::Tab => *on = !*on,
            _ => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn typed(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.key(key(KeyCode::Char(c)));
        }
    }

    fn order_spec() -> VarSpec {
        VarSpec {
            name: "order".into(),
            prompt: Some("Order number".into()),
            example: Some("A-1042".into()),
            pattern: Some(r"[A-Z]-\d{4}".into()),
            choices: Vec::new(),
            default: None,
            kind: VarKind::Text,
            private: true,
            span: 0..0,
        }
    }

    fn ask(name: &str, spec: Option<VarSpec>, required: bool) -> Field {
        Field::new(Ask {
            name: name.into(),
            spec,
            required,
            recent: Vec::new(),
            found: None,
        })
    }

    #[test]
    fn a_value_found_in_the_message_is_the_default_to_confirm() {
        let mut order = Ask {
            name: "order".into(),
            spec: Some(order_spec()),
            required: true,
            recent: vec!["B-2000".into()],
            found: Some("A-1042".into()),
        };
        let f = Field::new(order.clone());
        assert!(f.found);
        assert!(matches!(&f.input, Input::Text { default: Some(d), .. } if d == "A-1042"));
        let mut f = Form::new(vec![f]);
        assert_eq!(f.key(key(KeyCode::Enter)), Step::Done);
        assert_eq!(
            f.values(),
            vec![("order".to_string(), Value::from("A-1042"))]
        );
        // A choice found in the message is the one selected.
        let mut spec = order_spec();
        spec.pattern = None;
        spec.choices = vec!["DHL".into(), "UPS".into()];
        order.spec = Some(spec);
        order.found = Some("UPS".into());
        let f = Field::new(order);
        assert!(matches!(f.input, Input::Choice { at: 1, .. }));
    }

    #[test]
    fn blank_is_refused_when_required_and_a_pattern_is_checked() {
        let mut f = Form::new(vec![ask("order", Some(order_spec()), true)]);
        assert_eq!(f.key(key(KeyCode::Enter)), Step::Stay);
        assert!(f.problem.as_deref().unwrap().contains("a value is needed"));
        typed(&mut f, "12");
        f.key(key(KeyCode::Enter));
        assert!(f.problem.as_deref().unwrap().contains("A-1042"));
        f.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        typed(&mut f, "B-2000");
        assert_eq!(f.key(key(KeyCode::Enter)), Step::Done);
        assert_eq!(f.answers(), [("order".to_string(), Value::from("B-2000"))]);
    }

    #[test]
    fn defaults_choices_and_toggles() {
        let mut carrier = order_spec();
        carrier.name = "carrier".into();
        carrier.pattern = None;
        carrier.choices = vec!["DHL".into(), "UPS".into(), "GLS".into()];
        carrier.default = Some(Value::from("UPS"));
        let mut discount = order_spec();
        discount.name = "discount".into();
        discount.pattern = None;
        discount.kind = VarKind::Bool;
        let mut eta = order_spec();
        eta.name = "eta".into();
        eta.pattern = None;
        eta.default = Some(Value::from("soon"));
        let mut f = Form::new(vec![
            ask("eta", Some(eta), true),
            ask("carrier", Some(carrier), true),
            ask("discount", Some(discount), false),
        ]);
        f.key(key(KeyCode::Enter));
        f.key(key(KeyCode::Down));
        f.key(key(KeyCode::Enter));
        f.key(key(KeyCode::Char(' ')));
        assert_eq!(f.key(key(KeyCode::Enter)), Step::Done);
        assert_eq!(
            f.answers(),
            [
                ("eta".to_string(), Value::from("soon")),
                ("carrier".to_string(), Value::from("GLS")),
                ("discount".to_string(), Value::Bool(true)),
            ]
        );
    }

    #[test]
    fn an_agent_typed_is_offered_to_be_remembered() {
        let mut f = Form::new(vec![ask("agent", None, true)]);
        typed(&mut f, "Sam");
        assert_eq!(f.key(key(KeyCode::Enter)), Step::Stay);
        assert!(f.offering);
        assert_eq!(f.offers[0].value, "Sam");
        f.key(key(KeyCode::Char('n')));
        assert_eq!(f.key(key(KeyCode::Enter)), Step::Done);
        assert!(!f.offers[0].on);
    }

    #[test]
    fn esc_cancels_and_recent_values_come_back() {
        let mut f = Form::new(vec![Field::new(Ask {
            name: "link".into(),
            spec: None,
            required: true,
            recent: vec!["https://b".into(), "https://a".into()],
            found: None,
        })]);
        f.key(key(KeyCode::Up));
        f.key(key(KeyCode::Up));
        assert_eq!(f.values(), [("link".to_string(), Value::from("https://a"))]);
        assert_eq!(f.key(key(KeyCode::Esc)), Step::Cancel);
    }
}
