package sqlite

import (
	"context"
	"database/sql"

	"patentdesk/internal/licensing"
)

// AgreementLoad writes the agreements of a generated data set inside one
// transaction (LoadAgreements): each agreement as CreateAgreement writes
// it and each settlement as SettleOccurrences writes it, with the same
// audit rows in the same order, only not each in its own transaction.
type AgreementLoad struct {
	db    *DB
	tx    *sql.Tx
	actor Actor
	err   error // the first failure, which ends the load
}

// LoadAgreements runs write in one transaction, in which write creates
// agreements and settles their obligations through the AgreementLoad it
// is given. It is for generated data sets of thousands of agreements,
// where a transaction each (a commit, a copy of its pages to the log) was
// a fifth of the agreements' time. All or nothing: the first failure ends
// the load, and LoadAgreements returns it even if write did not.
func (db *DB) LoadAgreements(ctx context.Context, actor Actor, write func(*AgreementLoad) error) error {
	return db.change(ctx, actor, func(tx *sql.Tx, _ func(Change)) error {
		l := &AgreementLoad{db: db, tx: tx, actor: actor}
		err := write(l)
		if l.err != nil {
			return l.err
		}
		return err
	})
}

// audited runs one write of the load and then writes its audit rows, as
// change does for a write of its own.
func (l *AgreementLoad) audited(fn func(record func(Change)) error) error {
	if l.err != nil {
		return l.err // the load ended with it
	}
	var changes []Change
	err := fn(func(c Change) { changes = append(changes, c) })
	for _, c := range changes {
		if err != nil {
			break
		}
		err = l.db.writeAudit(l.tx, l.actor, c)
	}
	l.err = err
	return err
}

// CreateAgreement stores a new agreement as DB.CreateAgreement does.
func (l *AgreementLoad) CreateAgreement(a *licensing.Agreement) error {
	return l.audited(func(record func(Change)) error {
		return l.db.createAgreementTx(l.tx, a, record)
	})
}

// SettleOccurrences marks an obligation's occurrences due up to through as
// DB.SettleOccurrences does, and returns how many it marked.
func (l *AgreementLoad) SettleOccurrences(obligationID int64, through licensing.Date, status licensing.ObligationStatus) (int, error) {
	if err := checkSettlement(through, status); err != nil {
		return 0, err
	}
	marked := 0
	err := l.audited(func(record func(Change)) error {
		var err error
		marked, err = settleOccurrencesTx(l.tx, l.actor, obligationID, through, status, record)
		return err
	})
	return marked, err
}
