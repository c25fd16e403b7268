//! XLSForm expressions as used in `relevant` and `constraint`: a parser and an evaluator for the
//! subset a paper or e-mail questionnaire needs (`${q} = 'v'`, `!=`, `<`, `<=`, `>`, `>=`,
//! `selected(${q}, 'v')`, `count-selected(${q})`, `string-length()`, `and`, `or`, `not()`,
//! parentheses, `.` for the current value). It does not know about questionnaires or answers: the
//! caller supplies the values of the fields an expression names.

use std::fmt;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `${name}`
    Field(String),
    /// `.`
    Current,
    Str(String),
    Num(f64),
    Cmp(Box<Expr>, CmpOp, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `selected(a, 'v')`
    Selected(Box<Expr>, Box<Expr>),
    /// `count-selected(a)`
    CountSelected(Box<Expr>),
    /// `string-length(a)`
    StringLength(Box<Expr>),
    /// `true()` / `false()`
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Why an expression could not be parsed: the message and the character offset.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} at character {offset}")]
pub struct ParseError {
    pub message: String,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Field(String),
    Dot,
    Str(String),
    Num(f64),
    Ident(String),
    LParen,
    RParen,
    Comma,
    Op(CmpOp),
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |m: &str, at: usize| ParseError { message: m.to_string(), offset: at };
    while i < chars.len() {
        let (pos, c) = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '$' => {
                if chars.get(i + 1).map(|c| c.1) != Some('{') {
                    return Err(err("expected '{' after '$'", pos));
                }
                let mut j = i + 2;
                let mut name = String::new();
                while j < chars.len() && chars[j].1 != '}' {
                    name.push(chars[j].1);
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(err("unclosed '${'", pos));
                }
                out.push((Tok::Field(name.trim().to_string()), pos));
                i = j + 1;
            }
            '\'' | '"' | '‘' | '’' | '“' | '”' => {
                if matches!(c, '‘' | '’' | '“' | '”') {
                    return Err(err(
                        "typographic quote: use a straight quote ' or \" (Word and Excel replace them)",
                        pos,
                    ));
                }
                let mut j = i + 1;
                let mut s = String::new();
                while j < chars.len() && chars[j].1 != c {
                    s.push(chars[j].1);
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(err("unclosed string", pos));
                }
                out.push((Tok::Str(s), pos));
                i = j + 1;
            }
            '(' => {
                out.push((Tok::LParen, pos));
                i += 1;
            }
            ')' => {
                out.push((Tok::RParen, pos));
                i += 1;
            }
            ',' => {
                out.push((Tok::Comma, pos));
                i += 1;
            }
            '=' => {
                out.push((Tok::Op(CmpOp::Eq), pos));
                i += 1;
            }
            '!' | '<' | '>' => {
                let next_eq = chars.get(i + 1).map(|c| c.1) == Some('=');
                let op = match (c, next_eq) {
                    ('!', true) => CmpOp::Ne,
                    ('!', false) => return Err(err("expected '!='", pos)),
                    ('<', true) => CmpOp::Le,
                    ('<', false) => CmpOp::Lt,
                    ('>', true) => CmpOp::Ge,
                    _ => CmpOp::Gt,
                };
                out.push((Tok::Op(op), pos));
                i += if next_eq { 2 } else { 1 };
            }
            '.' if !chars.get(i + 1).is_some_and(|c| c.1.is_ascii_digit()) => {
                out.push((Tok::Dot, pos));
                i += 1;
            }
            c if c.is_ascii_digit() || c == '.' || c == '-' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].1.is_ascii_digit() || chars[j].1 == '.') {
                    j += 1;
                }
                let text: String = chars[i..j].iter().map(|c| c.1).collect();
                let n = text.parse::<f64>().map_err(|_| err("bad number", pos))?;
                out.push((Tok::Num(n), pos));
                i = j;
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut j = i;
                while j < chars.len()
                    && (chars[j].1.is_alphanumeric() || chars[j].1 == '_' || chars[j].1 == '-')
                {
                    j += 1;
                }
                let word: String = chars[i..j].iter().map(|c| c.1).collect();
                out.push((Tok::Ident(word), pos));
                i = j;
            }
            other => return Err(err(&format!("unexpected character '{other}'"), pos)),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(self.end)
    }
    fn err<T>(&self, m: &str) -> Result<T, ParseError> {
        Err(ParseError { message: m.to_string(), offset: self.offset() })
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|t| t.0.clone());
        self.pos += 1;
        t
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(x)) if x == w)
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(&t) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(&format!("expected {what}"))
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.cmp()?;
        while self.is_word("and") {
            self.pos += 1;
            let right = self.cmp()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn cmp(&mut self) -> Result<Expr, ParseError> {
        let left = self.primary()?;
        if let Some(Tok::Op(op)) = self.peek().cloned() {
            self.pos += 1;
            let right = self.primary()?;
            return Ok(Expr::Cmp(Box::new(left), op, Box::new(right)));
        }
        Ok(left)
    }
    fn args(&mut self, n: usize, name: &str) -> Result<Vec<Expr>, ParseError> {
        self.expect(Tok::LParen, &format!("'(' after {name}"))?;
        let mut args = Vec::new();
        if self.peek() != Some(&Tok::RParen) {
            args.push(self.or()?);
            while self.peek() == Some(&Tok::Comma) {
                self.pos += 1;
                args.push(self.or()?);
            }
        }
        self.expect(Tok::RParen, "')'")?;
        if args.len() != n {
            return self.err(&format!("{name}() takes {n} argument(s), got {}", args.len()));
        }
        Ok(args)
    }
    fn primary(&mut self) -> Result<Expr, ParseError> {
        let at = self.offset();
        match self.next() {
            Some(Tok::Field(n)) => Ok(Expr::Field(n)),
            Some(Tok::Dot) => Ok(Expr::Current),
            Some(Tok::Str(s)) => Ok(Expr::Str(s)),
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::LParen) => {
                let e = self.or()?;
                self.expect(Tok::RParen, "')'")?;
                Ok(e)
            }
            Some(Tok::Ident(w)) => {
                let mut a = match w.as_str() {
                    "not" => self.args(1, "not")?,
                    "selected" => self.args(2, "selected")?,
                    "count-selected" => self.args(1, "count-selected")?,
                    "string-length" => self.args(1, "string-length")?,
                    "true" | "false" => self.args(0, &w)?,
                    other => {
                        return Err(ParseError {
                            message: format!(
                                "unsupported function or word '{other}' (supported: selected, \
                                 count-selected, string-length, not, and, or, true, false)"
                            ),
                            offset: at,
                        });
                    }
                };
                Ok(match w.as_str() {
                    "not" => Expr::Not(Box::new(a.remove(0))),
                    "selected" => {
                        let v = a.remove(1);
                        Expr::Selected(Box::new(a.remove(0)), Box::new(v))
                    }
                    "count-selected" => Expr::CountSelected(Box::new(a.remove(0))),
                    "string-length" => Expr::StringLength(Box::new(a.remove(0))),
                    "true" => Expr::Bool(true),
                    _ => Expr::Bool(false),
                })
            }
            Some(t) => Err(ParseError { message: format!("unexpected {t:?}"), offset: at }),
            None => Err(ParseError { message: "unexpected end".into(), offset: at }),
        }
    }
}

/// Parse an XLSForm expression.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let toks = tokenize(src)?;
    if toks.is_empty() {
        return Err(ParseError { message: "empty expression".into(), offset: 0 });
    }
    let mut p = Parser { toks, pos: 0, end: src.len() };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return p.err("unexpected text after the end of the expression");
    }
    Ok(e)
}

/// A value during evaluation. Fields evaluate to their raw XLSForm string (select_multiple:
/// space-separated codes; empty when unanswered), as ODK does.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(String),
    Num(f64),
    Bool(bool),
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Bool(b) => *b,
            Val::Num(n) => *n != 0.0 && !n.is_nan(),
            Val::Str(s) => !s.is_empty(),
        }
    }
    fn as_num(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            Val::Str(s) => s.trim().replace(',', ".").parse().ok(),
            Val::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        }
    }
    fn as_str(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::Num(n) => fmt_num(*n),
            Val::Bool(b) => b.to_string(),
        }
    }
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

impl Expr {
    /// Evaluate to true/false. `field` gives the raw string value of a named field ("" when
    /// unanswered); `current` is the value of `.`.
    pub fn eval(&self, field: &dyn Fn(&str) -> String, current: &str) -> bool {
        self.value(field, current).truthy()
    }

    fn value(&self, field: &dyn Fn(&str) -> String, current: &str) -> Val {
        match self {
            Expr::Field(n) => Val::Str(field(n)),
            Expr::Current => Val::Str(current.to_string()),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Num(n) => Val::Num(*n),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::And(a, b) => Val::Bool(a.eval(field, current) && b.eval(field, current)),
            Expr::Or(a, b) => Val::Bool(a.eval(field, current) || b.eval(field, current)),
            Expr::Not(a) => Val::Bool(!a.eval(field, current)),
            Expr::Selected(a, v) => {
                let set = a.value(field, current).as_str();
                let v = v.value(field, current).as_str();
                Val::Bool(set.split_whitespace().any(|x| x == v))
            }
            Expr::CountSelected(a) => {
                Val::Num(a.value(field, current).as_str().split_whitespace().count() as f64)
            }
            Expr::StringLength(a) => {
                Val::Num(a.value(field, current).as_str().chars().count() as f64)
            }
            Expr::Cmp(a, op, b) => {
                let (va, vb) = (a.value(field, current), b.value(field, current));
                let numeric = matches!(va, Val::Num(_)) || matches!(vb, Val::Num(_));
                let ord = match (numeric, va.as_num(), vb.as_num()) {
                    (true, Some(x), Some(y)) => x.partial_cmp(&y),
                    // An empty or non-numeric value compared with a number: only != holds.
                    (true, _, _) => return Val::Bool(*op == CmpOp::Ne),
                    _ => Some(va.as_str().cmp(&vb.as_str())),
                };
                let Some(ord) = ord else { return Val::Bool(false) };
                use std::cmp::Ordering::*;
                Val::Bool(match op {
                    CmpOp::Eq => ord == Equal,
                    CmpOp::Ne => ord != Equal,
                    CmpOp::Lt => ord == Less,
                    CmpOp::Le => ord != Greater,
                    CmpOp::Gt => ord == Greater,
                    CmpOp::Ge => ord != Less,
                })
            }
        }
    }

    /// Every `${name}` the expression refers to, in order of appearance.
    pub fn fields(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Field(n) = e {
                if !out.contains(n) {
                    out.push(n.clone());
                }
            }
        });
        out
    }

    fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Cmp(a, _, b) | Expr::And(a, b) | Expr::Or(a, b) | Expr::Selected(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Expr::Not(a) | Expr::CountSelected(a) | Expr::StringLength(a) => a.walk(f),
            _ => {}
        }
    }

    /// Bounds that a constraint puts on `.` (numbers) or on `count-selected(.)` (choices), when
    /// it is a conjunction of simple comparisons. Used to print "0–20" on a paper form and to set
    /// data validation in the entry workbook.
    pub fn bounds(&self) -> Bounds {
        let mut b = Bounds::default();
        self.collect_bounds(&mut b);
        b
    }

    fn collect_bounds(&self, b: &mut Bounds) {
        match self {
            Expr::And(x, y) => {
                x.collect_bounds(b);
                y.collect_bounds(b);
            }
            Expr::Cmp(l, op, r) => {
                let (target, op, n) = match (l.as_ref(), r.as_ref()) {
                    (t, Expr::Num(n)) => (t, *op, *n),
                    (Expr::Num(n), t) => (t, flip(*op), *n),
                    _ => return,
                };
                let slot = match target {
                    Expr::Current => (&mut b.min, &mut b.max),
                    Expr::CountSelected(inner) if **inner == Expr::Current => {
                        (&mut b.min_choices, &mut b.max_choices)
                    }
                    _ => return,
                };
                match op {
                    CmpOp::Ge => *slot.0 = Some(n),
                    CmpOp::Gt => *slot.0 = Some(n + 1.0),
                    CmpOp::Le => *slot.1 = Some(n),
                    CmpOp::Lt => *slot.1 = Some(n - 1.0),
                    CmpOp::Eq => {
                        *slot.0 = Some(n);
                        *slot.1 = Some(n);
                    }
                    CmpOp::Ne => {}
                }
            }
            _ => {}
        }
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    }
}

/// Bounds read from a constraint (see [`Expr::bounds`]). Bounds on `>`/`<` assume integers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_choices: Option<f64>,
    pub max_choices: Option<f64>,
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Field(n) => write!(f, "${{{n}}}"),
            Expr::Current => f.write_str("."),
            Expr::Str(s) => write!(f, "'{s}'"),
            Expr::Num(n) => f.write_str(&fmt_num(*n)),
            Expr::Bool(b) => write!(f, "{b}()"),
            Expr::Cmp(a, op, b) => write!(f, "{a} {} {b}", op.as_str()),
            Expr::And(a, b) => write!(f, "({a} and {b})"),
            Expr::Or(a, b) => write!(f, "({a} or {b})"),
            Expr::Not(a) => write!(f, "not({a})"),
            Expr::Selected(a, b) => write!(f, "selected({a}, {b})"),
            Expr::CountSelected(a) => write!(f, "count-selected({a})"),
            Expr::StringLength(a) => write!(f, "string-length({a})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |n: &str| {
            pairs.iter().find(|p| p.0 == n).map(|p| p.1.to_string()).unwrap_or_default()
        }
    }

    #[test]
    fn equality_and_selected() {
        let e = parse("${wiek} = '75+' or selected(${potrzeby}, 'transport')").unwrap();
        assert!(e.eval(&env(&[("wiek", "75+")]), ""));
        assert!(e.eval(&env(&[("wiek", "18-24"), ("potrzeby", "opieka transport")]), ""));
        assert!(!e.eval(&env(&[("wiek", "18-24"), ("potrzeby", "opieka")]), ""));
        assert_eq!(e.fields(), vec!["wiek".to_string(), "potrzeby".to_string()]);
    }

    #[test]
    fn not_and_precedence() {
        let e = parse("not(${a} = 'x') and ${b} != 'y' or ${c} = 'z'").unwrap();
        assert!(e.eval(&env(&[("a", "q"), ("b", "q")]), ""));
        assert!(!e.eval(&env(&[("a", "x"), ("b", "q")]), ""));
        assert!(e.eval(&env(&[("a", "x"), ("c", "z")]), ""));
        // unanswered compares as empty: != holds
        assert!(parse("${b} != 'y'").unwrap().eval(&env(&[]), ""));
    }

    #[test]
    fn numeric_constraints_and_bounds() {
        let e = parse(". >= 0 and . <= 20").unwrap();
        assert!(e.eval(&env(&[]), "3"));
        assert!(!e.eval(&env(&[]), "21"));
        assert!(!e.eval(&env(&[]), "abc"));
        assert_eq!(e.bounds().min, Some(0.0));
        assert_eq!(e.bounds().max, Some(20.0));
        let c = parse("count-selected(.) <= 3").unwrap();
        assert_eq!(c.bounds().max_choices, Some(3.0));
        assert!(c.eval(&env(&[]), "a b c"));
        assert!(!c.eval(&env(&[]), "a b c d"));
        assert!(parse("${dzieci} > 0").unwrap().eval(&env(&[("dzieci", "2")]), ""));
        assert!(!parse("${dzieci} > 0").unwrap().eval(&env(&[("dzieci", "")]), ""));
    }

    #[test]
    fn errors_have_offsets() {
        let e = parse("${a} = ‘x’").unwrap_err();
        assert!(e.message.contains("typographic quote"), "{e}");
        assert_eq!(e.offset, 7);
        assert!(parse("${a} = ").is_err());
        assert!(parse("pulldata('x')").unwrap_err().message.contains("unsupported"));
        assert!(parse("(${a} = 'x'").is_err());
        assert!(parse("${a} = 'x' ${b}").is_err());
    }

    #[test]
    fn display_round_trips() {
        for src in ["selected(${a}, 'x') and not(${b} = 'y')", ". >= 0 and . <= 20"] {
            let e = parse(src).unwrap();
            assert_eq!(parse(&e.to_string()).unwrap(), e);
        }
    }
}
