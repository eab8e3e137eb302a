package sqlite

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"strconv"
	"testing"
	"time"

	"patentdesk/internal/licensing"
)

// eachPatentFixture is a world of 40 patents with labels, read by
// EachPatent in chunks of three, so that its stages have many chunks to
// pass on.
func eachPatentFixture(t *testing.T) (*patentSetFixture, []*PatentRecord) {
	t.Helper()
	f := newPatentSetFixture(t)
	for i := range 40 {
		f.patent(t, &licensing.Patent{Number: "US 10," + strconv.Itoa(100+i) + ",000 B2", Title: "Title " + strconv.Itoa(i),
			FiledOn: day("2015-01-01"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID,
			Tags: []string{"iot", "cellular"}[:i%3%2+1], CPC: []string{"H04W " + strconv.Itoa(i) + "/00"}})
	}
	old := eachPatentChunk
	eachPatentChunk = 3
	t.Cleanup(func() { eachPatentChunk = old })
	return f, pagedPatents(t, f.db, PatentFilter{})
}

// connectionsBack waits until no goroutine is left beyond before and
// every connection of the pool is idle again.
func connectionsBack(t *testing.T, db *DB, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for (runtime.NumGoroutine() > before || db.sql.Stats().InUse > 0) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n, inUse := runtime.NumGoroutine(), db.sql.Stats().InUse; n > before || inUse > 0 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines (%d before), %d connections in use:\n%s", n, before, inUse, buf[:runtime.Stack(buf, true)])
	}
}

// The export stops reading when its client goes away (fn fails) or its
// request's context ends, at any point of the stream: every goroutine has
// ended and every connection is back in the pool.
func TestEachPatentStopsWhenTheClientGoes(t *testing.T) {
	f, all := eachPatentFixture(t)
	before := runtime.NumGoroutine()
	errGone := errors.New("client gone")
	for cut := 1; cut <= len(all); cut++ {
		n := 0
		err := f.db.EachPatent(context.Background(), PatentFilter{}, func(*PatentRecord) error {
			if n++; n == cut {
				return errGone
			}
			return nil
		})
		if !errors.Is(err, errGone) || n != cut {
			t.Fatalf("client gone after %d: %d patents, %v", cut, n, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		n = 0
		err = f.db.EachPatent(ctx, PatentFilter{}, func(*PatentRecord) error {
			if n++; n == cut {
				cancel()
			}
			return nil
		})
		cancel()
		// Near the end every chunk may have been read before the context ended.
		if err == nil && n != len(all) || err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("context ended after %d: %d patents, %v", cut, n, err)
		}
	}
	connectionsBack(t, f.db, before)
}

// A statement that fails in the middle of the export ends it with the
// error; every patent handed on before is whole (labels and all), in
// order, and none is handed on after.
func TestEachPatentEndsAtAFailingStatement(t *testing.T) {
	f, all := eachPatentFixture(t)
	before := runtime.NumGoroutine()
	var got []*PatentRecord
	err := f.db.EachPatent(context.Background(), PatentFilter{}, func(r *PatentRecord) error {
		if got = append(got, r); len(got) == 4 {
			// The labels of the chunks still to come can no longer be read.
			if _, err := f.db.sql.Exec(`ALTER TABLE patent_labels RENAME TO patent_labels_gone`); err != nil {
				t.Fatal(err)
			}
		}
		return nil
	})
	if _, rerr := f.db.sql.Exec(`ALTER TABLE patent_labels_gone RENAME TO patent_labels`); rerr != nil {
		t.Fatal(rerr)
	}
	if err == nil || len(got) >= len(all) {
		t.Fatalf("%d of %d patents and no error: %v", len(got), len(all), err)
	}
	if !reflect.DeepEqual(got, all[:len(got)]) {
		t.Errorf("the %d patents before the error are not the first of the list, whole", len(got))
	}
	connectionsBack(t, f.db, before)
}
