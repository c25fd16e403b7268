//! XLSForm expressions as used in `relevant`, `constraint` and `calculation`: a parser and an
//! evaluator for the XPath subset forms actually use (`${q} = 'v'`, comparisons, `and`, `or`,
//! `+ - * div mod`, unary minus, `selected()`, `count-selected()`, `string-length()`, `not()`,
//! `if()`, `coalesce()`, `concat()`, `int()`, `round()`, `today()`, `regex()`, `min()`, `max()`,
//! `count()` and more, see [`KNOWN_FUNCTIONS`]; `.` for the current value). A call of any other
//! function parses (so a valid form is never refused) and evaluates to an empty string; the
//! caller warns about it through [`Expr::unknown_functions`]. Nesting is limited to
//! [`MAX_DEPTH`] levels and [`MAX_TOKENS`] tokens so hostile input gives an error, not a stack
//! overflow. It does not know about questionnaires or answers: the caller supplies the values
//! of the fields an expression names.

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
    /// `a + b`, `a - b`, `a * b`, `a div b`, `a mod b`
    Arith(Box<Expr>, ArithOp, Box<Expr>),
    /// `-a`
    Neg(Box<Expr>),
    /// Any other function call, by name (known ones in [`KNOWN_FUNCTIONS`]).
    Call(String, Vec<Expr>),
}

/// Functions the evaluator computes besides `not`, `selected`, `count-selected`,
/// `string-length`, `true` and `false`.
pub const KNOWN_FUNCTIONS: &[&str] = &[
    "if",
    "coalesce",
    "concat",
    "int",
    "round",
    "floor",
    "ceiling",
    "abs",
    "pow",
    "number",
    "string",
    "boolean",
    "today",
    "now",
    "regex",
    "min",
    "max",
    "sum",
    "count",
    "contains",
    "starts-with",
    "ends-with",
    "substr",
    "once",
    "selected-at",
    "normalize-space",
];

/// Deepest nesting of parentheses and calls an expression may have.
pub const MAX_DEPTH: usize = 64;
/// Longest expression, in tokens.
pub const MAX_TOKENS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl ArithOp {
    fn as_str(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "div",
            ArithOp::Mod => "mod",
        }
    }
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
    Plus,
    Minus,
    Star,
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |m: &str, at: usize| ParseError {
        message: m.to_string(),
        offset: at,
    };
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
            '+' => {
                out.push((Tok::Plus, pos));
                i += 1;
            }
            '*' => {
                out.push((Tok::Star, pos));
                i += 1;
            }
            '-' => {
                out.push((Tok::Minus, pos));
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
            c if c.is_ascii_digit() || c == '.' => {
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
                    && (chars[j].1.is_alphanumeric() || matches!(chars[j].1, '_' | '-' | ':'))
                {
                    j += 1;
                }
                let word: String = chars[i..j].iter().map(|c| c.1).collect();
                out.push((Tok::Ident(word), pos));
                i = j;
            }
            other => return Err(err(&format!("unexpected character '{other}'"), pos)),
        }
        if out.len() > MAX_TOKENS {
            return Err(err(
                &format!("expression too long (more than {MAX_TOKENS} tokens)"),
                pos,
            ));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(self.end)
    }
    fn err<T>(&self, m: &str) -> Result<T, ParseError> {
        Err(ParseError {
            message: m.to_string(),
            offset: self.offset(),
        })
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
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(&format!(
                "expression nested too deeply (more than {MAX_DEPTH} levels of parentheses or calls)"
            ));
        }
        Ok(())
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
    /// Equality and relational comparisons (XPath puts `=`/`!=` below `<`…; forms never chain
    /// them, so one level left-associative is enough).
    fn cmp(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.additive()?;
        while let Some(Tok::Op(op)) = self.peek().cloned() {
            self.pos += 1;
            let right = self.additive()?;
            left = Expr::Cmp(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }
    fn additive(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Plus) => ArithOp::Add,
                Some(Tok::Minus) => ArithOp::Sub,
                _ => break,
            };
            self.pos += 1;
            let right = self.multiplicative()?;
            left = Expr::Arith(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }
    fn multiplicative(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Star) => ArithOp::Mul,
                Some(Tok::Ident(w)) if w == "div" => ArithOp::Div,
                Some(Tok::Ident(w)) if w == "mod" => ArithOp::Mod,
                _ => break,
            };
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::Arith(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some(&Tok::Minus) {
            self.pos += 1;
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(match e {
                Expr::Num(n) => Expr::Num(-n),
                e => Expr::Neg(Box::new(e)),
            });
        }
        self.primary()
    }
    fn args(&mut self, name: &str) -> Result<Vec<Expr>, ParseError> {
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
        Ok(args)
    }
    fn arity(&self, name: &str, args: &[Expr], min: usize, max: usize) -> Result<(), ParseError> {
        if args.len() < min || args.len() > max {
            let n = if min == max {
                format!("{min}")
            } else if max == usize::MAX {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            };
            return self.err(&format!(
                "{name}() takes {n} argument(s), got {}",
                args.len()
            ));
        }
        Ok(())
    }
    fn primary(&mut self) -> Result<Expr, ParseError> {
        let at = self.offset();
        match self.next() {
            Some(Tok::Field(n)) => Ok(Expr::Field(n)),
            Some(Tok::Dot) => Ok(Expr::Current),
            Some(Tok::Str(s)) => Ok(Expr::Str(s)),
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::LParen) => {
                self.enter()?;
                let e = self.or()?;
                self.expect(Tok::RParen, "')'")?;
                self.depth -= 1;
                Ok(e)
            }
            Some(Tok::Ident(w)) => {
                if self.peek() != Some(&Tok::LParen) {
                    return Err(ParseError {
                        message: format!(
                            "unexpected word '{w}' (a field is written ${{name}}, a text 'in quotes', \
                             a function name is followed by '(')"
                        ),
                        offset: at,
                    });
                }
                self.enter()?;
                let mut a = self.args(&w)?;
                self.depth -= 1;
                let (min, max) = match w.as_str() {
                    "not" | "count-selected" | "string-length" | "int" | "floor" | "ceiling"
                    | "abs" | "boolean" | "count" | "sum" | "once" => (1, 1),
                    "selected" | "regex" | "pow" | "contains" | "starts-with" | "ends-with"
                    | "selected-at" => (2, 2),
                    "true" | "false" | "today" | "now" => (0, 0),
                    "if" => (3, 3),
                    "round" => (1, 2),
                    "substr" => (2, 3),
                    "number" | "string" | "normalize-space" => (0, 1),
                    "coalesce" => (2, usize::MAX),
                    "concat" | "min" | "max" => (1, usize::MAX),
                    // Unknown functions: accepted; the caller warns.
                    _ => (0, usize::MAX),
                };
                self.arity(&w, &a, min, max)?;
                Ok(match w.as_str() {
                    "not" => Expr::Not(Box::new(a.remove(0))),
                    "selected" => {
                        let v = a.remove(1);
                        Expr::Selected(Box::new(a.remove(0)), Box::new(v))
                    }
                    "count-selected" => Expr::CountSelected(Box::new(a.remove(0))),
                    "string-length" => Expr::StringLength(Box::new(a.remove(0))),
                    "true" => Expr::Bool(true),
                    "false" => Expr::Bool(false),
                    _ => Expr::Call(w, a),
                })
            }
            Some(t) => Err(ParseError {
                message: format!("unexpected {t:?}"),
                offset: at,
            }),
            None => Err(ParseError {
                message: "unexpected end".into(),
                offset: at,
            }),
        }
    }
}

/// Parse an XLSForm expression.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let toks = tokenize(src)?;
    if toks.is_empty() {
        return Err(ParseError {
            message: "empty expression".into(),
            offset: 0,
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.len(),
        depth: 0,
    };
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
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A date `YYYY-MM-DD` (optionally followed by a time) as days since 1970-01-01, as ODK
/// converts dates in arithmetic.
fn date_days(s: &str) -> Option<f64> {
    let d = s.trim().get(..10)?;
    let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some((date - epoch).num_days() as f64)
}

fn num_of(v: &Val) -> f64 {
    match v {
        Val::Str(s) => v.as_num().or_else(|| date_days(s)).unwrap_or(f64::NAN),
        _ => v.as_num().unwrap_or(f64::NAN),
    }
}

/// Today's date, `YYYY-MM-DD`, local time.
fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

impl Expr {
    /// Evaluate to true/false. `field` gives the raw string value of a named field ("" when
    /// unanswered); `current` is the value of `.`.
    pub fn eval(&self, field: &dyn Fn(&str) -> String, current: &str) -> bool {
        self.value(field, current).truthy()
    }

    /// Evaluate to the string a `calculate` row would store (numbers without a trailing `.0`,
    /// booleans as `true`/`false`, NaN as empty).
    pub fn eval_string(&self, field: &dyn Fn(&str) -> String, current: &str) -> String {
        match self.value(field, current) {
            Val::Num(n) if n.is_nan() || n.is_infinite() => String::new(),
            v => v.as_str(),
        }
    }

    fn value(&self, field: &dyn Fn(&str) -> String, current: &str) -> Val {
        let v = |e: &Expr| e.value(field, current);
        match self {
            Expr::Field(n) => Val::Str(field(n)),
            Expr::Current => Val::Str(current.to_string()),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Num(n) => Val::Num(*n),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::And(a, b) => Val::Bool(a.eval(field, current) && b.eval(field, current)),
            Expr::Or(a, b) => Val::Bool(a.eval(field, current) || b.eval(field, current)),
            Expr::Not(a) => Val::Bool(!a.eval(field, current)),
            Expr::Selected(a, b) => {
                let set = v(a).as_str();
                let x = v(b).as_str();
                Val::Bool(set.split_whitespace().any(|s| s == x))
            }
            Expr::CountSelected(a) => Val::Num(v(a).as_str().split_whitespace().count() as f64),
            Expr::StringLength(a) => Val::Num(v(a).as_str().chars().count() as f64),
            Expr::Neg(a) => Val::Num(-num_of(&v(a))),
            Expr::Arith(a, op, b) => {
                let (x, y) = (num_of(&v(a)), num_of(&v(b)));
                Val::Num(match op {
                    ArithOp::Add => x + y,
                    ArithOp::Sub => x - y,
                    ArithOp::Mul => x * y,
                    ArithOp::Div => x / y,
                    ArithOp::Mod => x % y,
                })
            }
            Expr::Call(name, args) => self.call(name, args, field, current),
            Expr::Cmp(a, op, b) => {
                let (va, vb) = (v(a), v(b));
                let numeric = matches!(va, Val::Num(_)) || matches!(vb, Val::Num(_));
                let ord = match (numeric, va.as_num(), vb.as_num()) {
                    (true, Some(x), Some(y)) => x.partial_cmp(&y),
                    // An empty or non-numeric value compared with a number: only != holds.
                    (true, _, _) => return Val::Bool(*op == CmpOp::Ne),
                    _ => Some(va.as_str().cmp(&vb.as_str())),
                };
                let Some(ord) = ord else {
                    return Val::Bool(*op == CmpOp::Ne);
                };
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

    fn call(
        &self,
        name: &str,
        args: &[Expr],
        field: &dyn Fn(&str) -> String,
        current: &str,
    ) -> Val {
        let v = |i: usize| {
            args.get(i)
                .map(|e| e.value(field, current))
                .unwrap_or(Val::Str(String::new()))
        };
        let s = |i: usize| v(i).as_str();
        let nums = || -> Vec<f64> {
            args.iter()
                .flat_map(|e| {
                    let x = e.value(field, current);
                    match x {
                        // A multiple answer or a repeat's values: every item counts.
                        Val::Str(t) if t.contains(char::is_whitespace) => t
                            .split_whitespace()
                            .map(|w| num_of(&Val::Str(w.to_string())))
                            .collect::<Vec<_>>(),
                        other => vec![num_of(&other)],
                    }
                })
                .collect()
        };
        match name {
            "if" => {
                if v(0).truthy() {
                    v(1)
                } else {
                    v(2)
                }
            }
            "coalesce" => args
                .iter()
                .map(|e| e.value(field, current))
                .find(|x| !x.as_str().is_empty())
                .unwrap_or(Val::Str(String::new())),
            "concat" => Val::Str((0..args.len()).map(s).collect()),
            "int" => Val::Num(num_of(&v(0)).trunc()),
            "floor" => Val::Num(num_of(&v(0)).floor()),
            "ceiling" => Val::Num(num_of(&v(0)).ceil()),
            "abs" => Val::Num(num_of(&v(0)).abs()),
            "pow" => Val::Num(num_of(&v(0)).powf(num_of(&v(1)))),
            "round" => {
                let x = num_of(&v(0));
                let places = if args.len() > 1 { num_of(&v(1)) } else { 0.0 };
                let m = 10f64.powi(places as i32);
                // XPath rounds halves towards positive infinity.
                Val::Num((x * m + 0.5).floor() / m)
            }
            "number" => Val::Num(if args.is_empty() {
                num_of(&Val::Str(current.to_string()))
            } else {
                num_of(&v(0))
            }),
            "string" => Val::Str(if args.is_empty() {
                current.to_string()
            } else {
                s(0)
            }),
            "normalize-space" => Val::Str(
                (if args.is_empty() {
                    current.to_string()
                } else {
                    s(0)
                })
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            ),
            "boolean" => Val::Bool(v(0).truthy()),
            "today" => Val::Str(today()),
            "now" => Val::Str(chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()),
            "regex" => {
                let text = s(0);
                let pat = s(1);
                Val::Bool(regex::Regex::new(&pat).is_ok_and(|r| r.is_match(&text)))
            }
            "min" | "max" => {
                let xs: Vec<f64> = nums().into_iter().collect();
                if xs.is_empty() || xs.iter().any(|x| x.is_nan()) {
                    return Val::Num(f64::NAN);
                }
                let fold = if name == "min" { f64::min } else { f64::max };
                Val::Num(xs[1..].iter().copied().fold(xs[0], fold))
            }
            "sum" => Val::Num(nums().into_iter().filter(|x| !x.is_nan()).sum()),
            // count(${repeat}): the caller gives a repeat's member count as its value; a plain
            // field counts 1 when answered.
            "count" => {
                let x = v(0);
                Val::Num(match x.as_num() {
                    Some(n) => n,
                    None if x.as_str().is_empty() => 0.0,
                    None => 1.0,
                })
            }
            "contains" => Val::Bool(s(0).contains(&s(1))),
            "starts-with" => Val::Bool(s(0).starts_with(&s(1))),
            "ends-with" => Val::Bool(s(0).ends_with(&s(1))),
            "substr" => {
                let text: Vec<char> = s(0).chars().collect();
                let start = num_of(&v(1)).max(0.0) as usize;
                let end = if args.len() > 2 {
                    (num_of(&v(2)).max(0.0) as usize).min(text.len())
                } else {
                    text.len()
                };
                Val::Str(
                    text.get(start..end.max(start))
                        .unwrap_or(&[])
                        .iter()
                        .collect(),
                )
            }
            "once" => v(0),
            "selected-at" => {
                let i = num_of(&v(1));
                let set = s(0);
                Val::Str(if i >= 0.0 {
                    set.split_whitespace()
                        .nth(i as usize)
                        .unwrap_or("")
                        .to_string()
                } else {
                    String::new()
                })
            }
            // Unknown function: no value (the questionnaire check warned about it).
            _ => Val::Str(String::new()),
        }
    }

    /// Names of the functions called that the evaluator does not compute (they evaluate to an
    /// empty value), in order of appearance.
    pub fn unknown_functions(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Call(n, _) = e {
                if !KNOWN_FUNCTIONS.contains(&n.as_str()) && !out.contains(n) {
                    out.push(n.clone());
                }
            }
        });
        out
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
            Expr::Arith(a, _, b) => {
                a.walk(f);
                b.walk(f);
            }
            Expr::Not(a) | Expr::CountSelected(a) | Expr::StringLength(a) | Expr::Neg(a) => {
                a.walk(f)
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
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
            Expr::Str(s) if s.contains('\'') => write!(f, "\"{s}\""),
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
            Expr::Arith(a, op, b) => write!(f, "({a} {} {b})", op.as_str()),
            Expr::Neg(a) => write!(f, "-({a})"),
            Expr::Call(n, args) => {
                let a: Vec<String> = args.iter().map(|x| x.to_string()).collect();
                write!(f, "{n}({})", a.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |n: &str| {
            pairs
                .iter()
                .find(|p| p.0 == n)
                .map(|p| p.1.to_string())
                .unwrap_or_default()
        }
    }

    #[test]
    fn equality_and_selected() {
        let e = parse("${wiek} = '75+' or selected(${potrzeby}, 'transport')").unwrap();
        assert!(e.eval(&env(&[("wiek", "75+")]), ""));
        assert!(e.eval(
            &env(&[("wiek", "18-24"), ("potrzeby", "opieka transport")]),
            ""
        ));
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
        assert!(
            parse("${dzieci} > 0")
                .unwrap()
                .eval(&env(&[("dzieci", "2")]), "")
        );
        assert!(
            !parse("${dzieci} > 0")
                .unwrap()
                .eval(&env(&[("dzieci", "")]), "")
        );
    }

    #[test]
    fn errors_have_offsets() {
        let e = parse("${a} = ‘x’").unwrap_err();
        assert!(e.message.contains("typographic quote"), "{e}");
        assert_eq!(e.offset, 7);
        assert!(parse("${a} = ").is_err());
        assert_eq!(
            parse("pulldata('x', 'y')").unwrap().unknown_functions(),
            ["pulldata"]
        );
        assert!(
            parse("wiek > 3")
                .unwrap_err()
                .message
                .contains("unexpected word")
        );
        assert!(parse("(${a} = 'x'").is_err());
        assert!(parse("${a} = 'x' ${b}").is_err());
    }

    #[test]
    fn arithmetic_and_functions_forms_use() {
        let ev = |src: &str, pairs: &[(&str, &str)]| {
            parse(src)
                .unwrap_or_else(|e| panic!("{src}: {e}"))
                .eval_string(&env(pairs), "")
        };
        assert_eq!(ev("${a} + ${b} * 2", &[("a", "1"), ("b", "3")]), "7");
        assert_eq!(ev("(${a} + ${b}) * 2", &[("a", "1"), ("b", "3")]), "8");
        assert_eq!(ev("7 div 2", &[]), "3.5");
        assert_eq!(ev("7 mod 3", &[]), "1");
        assert_eq!(ev("${a}-1", &[("a", "5")]), "4");
        assert_eq!(ev("-${a} + 10", &[("a", "4")]), "6");
        assert_eq!(ev("int(7 div 2)", &[]), "3");
        assert_eq!(ev("round(2.345, 2)", &[]), "2.35");
        assert_eq!(ev("round(2.5)", &[]), "3");
        assert_eq!(ev("if(${n} > 5, 'big', 'small')", &[("n", "6")]), "big");
        assert_eq!(ev("if(${n} > 5, 'big', 'small')", &[("n", "2")]), "small");
        assert_eq!(ev("coalesce(${a}, ${b})", &[("b", "x")]), "x");
        assert_eq!(
            ev("concat(${a}, '-', ${b})", &[("a", "1"), ("b", "2")]),
            "1-2"
        );
        assert_eq!(ev("min(${a}, ${b}, 4)", &[("a", "9"), ("b", "2")]), "2");
        assert_eq!(ev("max(${a}, ${b})", &[("a", "9"), ("b", "2")]), "9");
        assert_eq!(ev("count-selected(${m})", &[("m", "a b c")]), "3");
        assert_eq!(ev("count(${members})", &[("members", "4")]), "4");
        assert_eq!(ev("count(${members})", &[]), "0");
        assert_eq!(
            ev("regex(${p}, '^[0-9]{9}$')", &[("p", "501234567")]),
            "true"
        );
        assert_eq!(ev("regex(${p}, '^[0-9]{9}$')", &[("p", "50123")]), "false");
        assert_eq!(ev("today()", &[]).len(), 10);
        // Dates in arithmetic are days, as in ODK.
        assert_eq!(
            ev(
                "${d2} - ${d1}",
                &[("d1", "2024-02-27"), ("d2", "2024-03-01")]
            ),
            "3"
        );
        assert!(
            parse("int((today() - ${dob}) div 365.25) >= 75")
                .unwrap()
                .eval(&env(&[("dob", "1900-01-01")]), "")
        );
        // Unknown functions parse, evaluate to nothing and are named for a warning.
        let e =
            parse("pulldata('hh', 'size', 'id', ${id}) > 2 and jr:choice-name(${x}, '${x}') != ''")
                .unwrap();
        assert_eq!(e.unknown_functions(), ["pulldata", "jr:choice-name"]);
        assert!(
            parse("count-selected(.) <= 3")
                .unwrap()
                .unknown_functions()
                .is_empty()
        );
        // Arity is checked.
        assert!(
            parse("if(1, 2)")
                .unwrap_err()
                .message
                .contains("if() takes 3")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = parse(&deep).unwrap_err();
        assert!(
            e.message.contains("too long") || e.message.contains("too deeply"),
            "{e}"
        );
        let nots = format!("{}true(){}", "not(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&nots).is_err());
        let e = parse(&format!("{}1{}", "(".repeat(100), ")".repeat(100))).unwrap_err();
        assert!(e.message.contains("nested too deeply"), "{e}");
        assert!(parse(&format!("{}1{}", "(".repeat(30), ")".repeat(30))).is_ok());
    }

    #[test]
    fn display_round_trips() {
        for src in [
            "selected(${a}, 'x') and not(${b} = 'y')",
            ". >= 0 and . <= 20",
            "if(${a} + 2 * ${b} > -1, concat('x', ${c}), coalesce(${d}, 0)) mod 3",
        ] {
            let e = parse(src).unwrap();
            assert_eq!(parse(&e.to_string()).unwrap(), e);
        }
    }
}
