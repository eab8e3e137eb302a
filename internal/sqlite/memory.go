package sqlite

import (
	"context"
	"database/sql"
)

// ReleaseMemory empties the page caches of the connections waiting idle in
// the pool (PRAGMA shrink_memory) and returns how many it emptied.
//
// Each pooled connection keeps up to 2 MB of pages once it has read them
// (SQLite's default cache_size), and the pool keeps idleConns of them open
// between bursts: after a burst at a million patents some 60–70 MB of the
// server's memory are pages that the operating system's file cache holds
// as well. A connection used again reads its pages anew from that cache,
// in microseconds. Connections in use are left alone; the idle ones are
// held together while they are emptied, so that each is emptied once, and
// a request meanwhile is served by another connection.
func (db *DB) ReleaseMemory(ctx context.Context) (int, error) {
	idle := db.sql.Stats().Idle
	conns := make([]*sql.Conn, 0, idle)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range idle {
		c, err := db.sql.Conn(ctx)
		if err != nil {
			return len(conns), err
		}
		conns = append(conns, c)
		if _, err := c.ExecContext(ctx, `PRAGMA shrink_memory`); err != nil {
			return len(conns) - 1, err
		}
	}
	return len(conns), nil
}
