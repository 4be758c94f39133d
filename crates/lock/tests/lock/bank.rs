//! Exercise `bank`: transfers under two locks never deadlock and never create or lose money.

use std::sync::Arc;

use lock::bank::{Bank, TransferError};
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[rstest]
#[case::forward(0, 1, 30, [70, 30])]
#[case::backward(1, 0, 0, [100, 0])]
#[case::everything(0, 1, 100, [0, 100])]
fn a_transfer_moves_money(
    #[case] from: usize,
    #[case] to: usize,
    #[case] amount: u64,
    #[case] expected: [u64; 2],
) {
    let bank = Bank::new(&[100, 0]);
    assert_eq!(
        bank.transfer(from, to, amount),
        Ok(()),
        "transfer {from} -> {to} of {amount}"
    );
    let balances = [bank.balance(0), bank.balance(1)];
    assert_eq!(
        balances,
        expected.map(Some),
        "balances after {from} -> {to} of {amount}"
    );
}

#[rstest]
#[case::overdraft(0, 1, 101, TransferError::InsufficientFunds { balance: 100, amount: 101 })]
#[case::same_account(1, 1, 5, TransferError::SameAccount(1))]
#[case::unknown_source(7, 0, 1, TransferError::NoSuchAccount(7))]
#[case::unknown_target(0, 9, 1, TransferError::NoSuchAccount(9))]
fn a_refused_transfer_changes_nothing(
    #[case] from: usize,
    #[case] to: usize,
    #[case] amount: u64,
    #[case] error: TransferError,
) {
    let bank = Bank::new(&[100, 50]);
    // A hang guard: locking the same account twice would block forever.
    let result = finishes_within(GENEROUS, "a refused transfer", move || {
        let outcome = bank.transfer(from, to, amount);
        (outcome, bank.balance(0), bank.balance(1))
    });
    assert_eq!(
        result,
        (Err(error), Some(100), Some(50)),
        "transfer {from} -> {to} of {amount} must be refused and leave both balances alone"
    );
}

#[test]
fn balance_of_an_unknown_account_is_none() {
    assert_eq!(Bank::new(&[1]).balance(3), None, "account 3 does not exist");
}

#[test]
fn opposite_transfers_from_many_threads_finish_and_keep_the_total() {
    let bank = Arc::new(Bank::new(&[1_000, 1_000, 1_000]));
    let shared = Arc::clone(&bank);
    finishes_within(
        GENEROUS,
        "8 threads transferring in opposite directions",
        move || {
            let handles: Vec<_> = (0..8)
                .map(|t| {
                    let bank = Arc::clone(&shared);
                    std::thread::spawn(move || {
                        for i in 0..2_000 {
                            let (from, to) = if t % 2 == 0 { (0, 1) } else { (1, 0) };
                            let _ = bank.transfer(from, to, 1);
                            let _ = bank.transfer(2, i % 2, 1);
                            let _ = bank.transfer(i % 2, 2, 1);
                        }
                    })
                })
                .collect();
            for h in handles {
                h.join().expect("a transferring thread panicked");
            }
        },
    );
    assert_eq!(
        bank.total(),
        3_000,
        "money was created or lost by concurrent transfers"
    );
}

/// One step of a random sequence: a transfer attempt.
fn transfers() -> impl Strategy<Value = Vec<(usize, usize, u64)>> {
    prop::collection::vec((0usize..4, 0usize..4, 0u64..60), 0..60)
}

proptest! {
    /// Any sequence of transfers gives the same balances as a plain `Vec<u64>` model and
    /// keeps the total, refused transfers included.
    #[test]
    fn random_transfers_match_a_sequential_model(ops in transfers()) {
        let start = [50u64, 40, 30, 20];
        let attempts = ops.clone();
        // Guarded: a transfer that deadlocks on itself must fail, not freeze the suite.
        let (results, balances, total) = finishes_within(GENEROUS, "a sequence of transfers on one thread", move || {
            let bank = Bank::new(&start);
            let results: Vec<_> = attempts.iter().map(|&(from, to, amount)| bank.transfer(from, to, amount)).collect();
            let balances: Vec<u64> = (0..4).map(|i| bank.balance(i).unwrap_or(u64::MAX)).collect();
            (results, balances, bank.total())
        });
        let mut model = start.to_vec();
        for (&(from, to, amount), got) in ops.iter().zip(results) {
            let expected = if from == to {
                Err(TransferError::SameAccount(from))
            } else if model[from] < amount {
                Err(TransferError::InsufficientFunds { balance: model[from], amount })
            } else {
                model[from] -= amount;
                model[to] += amount;
                Ok(())
            };
            prop_assert_eq!(got, expected, "transfer {} -> {} of {}", from, to, amount);
        }
        prop_assert_eq!(&balances, &model);
        prop_assert_eq!(total, 140, "the total must never change");
    }
}

mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::bank::Bank;

    support::loom_test! {
        /// 0 -> 1 and 1 -> 0 at once: with locks taken in transfer direction, each thread
        /// holds one account and waits for the other. loom reports that as a DEADLOCK.
        fn opposite_transfers_never_deadlock() {
            let bank = Arc::new(Bank::new(&[10, 10]));
            let other = Arc::clone(&bank);
            let handle = thread::spawn(move || other.transfer(0, 1, 3).unwrap());
            bank.transfer(1, 0, 4).unwrap();
            handle.join().unwrap();
            assert_eq!(
                (bank.balance(0), bank.balance(1)),
                (Some(11), Some(9)),
                "after 0 -> 1 of 3 and 1 -> 0 of 4 the balances must be 11 and 9"
            );
        }
    }

    support::loom_test! {
        /// `total` while a transfer runs: a total that reads account 0 before the transfer
        /// and account 1 after it counts the moved money twice (or not at all).
        fn total_is_a_consistent_snapshot_during_a_transfer() {
            let bank = Arc::new(Bank::new(&[5, 5]));
            let other = Arc::clone(&bank);
            let handle = thread::spawn(move || other.transfer(1, 0, 5).unwrap());
            let total = bank.total();
            handle.join().unwrap();
            assert_eq!(
                total,
                10,
                "total() returned {total} while a transfer ran: it read one account before \
                 the transfer and the other after. Hold every account's lock while summing."
            );
        }
    }

    support::loom_test! {
        /// Two withdrawals of 6 from an account holding 10, at once: exactly one may go
        /// through. Checking the funds before taking the account's lock for the transfer
        /// lets both pass the check, and the account is overdrawn.
        fn two_transfers_cannot_overdraw_one_account() {
            let bank = Arc::new(Bank::new(&[10, 0]));
            let other = Arc::clone(&bank);
            let handle = thread::spawn(move || other.transfer(0, 1, 6).is_ok());
            let mine = bank.transfer(0, 1, 6).is_ok();
            let theirs = handle.join().unwrap();
            assert!(
                mine ^ theirs,
                "account 0 held 10 and two transfers of 6 raced: {} went through. Check the \
                 funds under the same lock that moves the money",
                usize::from(mine) + usize::from(theirs)
            );
            assert_eq!(
                (bank.balance(0), bank.balance(1)),
                (Some(4), Some(6)),
                "one transfer of 6 went through"
            );
        }
    }
}
