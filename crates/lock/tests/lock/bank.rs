mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::bank::Bank;
    support::loom_test! {
        fn opposite_transfers_never_deadlock() {
            let bank = Arc::new(Bank::new(&[10, 10]));
            let other = Arc::clone(&bank);
            let handle = thread::spawn(move || other.transfer(0, 1, 1).unwrap());
            bank.transfer(1, 0, 1).unwrap();
            handle.join().unwrap();
        }
    }
}
