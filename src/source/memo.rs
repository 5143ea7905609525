//! Per-thread memos of answers about short texts that come again and again (the member names
//! and the messages of every app): looking an answer up costs a fraction of working it out.
//! Only pure answers are kept, under the whole text (never a hash of it alone), so a memo
//! never answers for a text it has not seen.

use std::cell::RefCell;
use std::thread::LocalKey;

use rustc_hash::FxHashMap;

/// Texts and their answers; forgotten all at once when full.
pub type Memo<V> = RefCell<FxHashMap<Box<str>, V>>;

/// The answers a memo holds at most.
const KEPT: usize = 4096;

/// `answer(text)`, from `memo` when it was worked out on this thread before. Texts longer
/// than `longest` bytes are not kept (so a memo holds at most `KEPT × longest` bytes).
pub fn remembered<V: Clone + 'static>(
    memo: &'static LocalKey<Memo<V>>,
    longest: usize,
    text: &str,
    answer: impl FnOnce(&str) -> V,
) -> V {
    if text.len() > longest {
        return answer(text);
    }
    memo.with_borrow_mut(|known| {
        if let Some(value) = known.get(text) {
            return value.clone();
        }
        let value = answer(text);
        if known.len() >= KEPT {
            known.clear();
        }
        known.insert(text.into(), value.clone());
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static LENGTHS: Memo<usize> = RefCell::default();
    }

    #[test]
    fn answers_once_per_text_and_forgets_when_full() {
        let mut worked = 0;
        for _ in 0..3 {
            let n = remembered(&LENGTHS, 8, "abc", |t| {
                worked += 1;
                t.len()
            });
            assert_eq!(n, 3);
        }
        assert_eq!(worked, 1);
        // Long texts are worked out every time.
        for _ in 0..2 {
            remembered(&LENGTHS, 8, "longer than eight", |t| {
                worked += 1;
                t.len()
            });
        }
        assert_eq!(worked, 3);
        for i in 0..2 * KEPT {
            remembered(&LENGTHS, 8, &i.to_string(), str::len);
        }
        assert!(LENGTHS.with_borrow(|m| m.len()) <= KEPT);
    }
}
