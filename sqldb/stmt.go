package sqldb

import (
	"context"
	"database/sql"
	"slices"
	"sync"
)

// stmtCache keeps the statements run on a SQLite pool prepared, so that
// SQLite parses and plans each once per connection rather than once per
// call: on a page of many short reads, or a report's save of many short
// writes, parsing and planning is much of the work.
// database/sql does the keeping: a Stmt of the pool prepares itself on each connection the first
// time it runs there and keeps it for the next time. PostgreSQL needs none:
// its driver prepares and keeps the statements of each connection itself.
//
// A statement not prepared yet runs unprepared while it is prepared aside,
// since preparing on the pool takes a connection of its own: a transaction
// waiting for one while holding another could wait for ever. The statements
// are written with their variable parts as parameters, so there are few of
// them; maxStmts bounds them all the same. A statement is prepared the
// second time it is seen, so that those made for one use (a list of ids of
// a length seen once, a batch of rows) do not fill the cache.
type stmtCache struct {
	pool   *sql.DB
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt // nil while being prepared, or when it cannot be
	seen   map[string]bool      // statements seen once, not prepared yet
	closed bool
	// Preparing aside ends with the cache: closing it cancels what is
	// being prepared and waits for it, so that once the store is closed no
	// connection of it is left open on the file.
	ctx       context.Context
	cancel    context.CancelFunc
	preparing sync.WaitGroup
}

// maxStmts is how many statements a pool keeps prepared at most, and
// maxSeen how many seen once it remembers before it forgets them all.
const (
	maxStmts = 256
	maxSeen  = 1024
)

func newStmtCache(pool *sql.DB) *stmtCache {
	ctx, cancel := context.WithCancel(context.Background())
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, seen: map[string]bool{}, ctx: ctx, cancel: cancel}
}

// get returns the statement prepared, or nil when it is not (yet).
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, kept := c.stmts[q]
	if kept || c.closed || len(c.stmts) >= maxStmts {
		return st
	}
	if !c.seen[q] {
		if len(c.seen) >= maxSeen {
			clear(c.seen)
		}
		c.seen[q] = true
		return nil
	}
	delete(c.seen, q)
	c.stmts[q] = nil
	c.preparing.Go(func() { c.prepare(q) })
	return nil
}

// prepare prepares a query on the pool and keeps it. A query that cannot
// be prepared fails where it runs, with its error; it is not tried again.
func (c *stmtCache) prepare(q string) {
	st, err := c.pool.PrepareContext(c.ctx, q)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err != nil:
	case c.closed:
		st.Close()
	default:
		c.stmts[q] = st
	}
}

// close closes the prepared statements, before the pool is closed.
func (c *stmtCache) close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.preparing.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.stmts {
		if st != nil {
			if e := st.Close(); err == nil {
				err = e
			}
		}
	}
	return err
}

// prepared returns the transaction's form of a statement kept prepared, or
// nil to run it unprepared. A statement whose rows may stay open (rows) is
// run prepared once at most in a transaction: a second run while the rows
// of the first were still open would reset the statement under them, since
// both are one statement of one connection. One that is done when it
// returns (an Exec, an INSERT's id) may run prepared again and again, as
// long as no rows of it are open.
func (tx *Tx) prepared(q string, rows bool) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	q = tx.db.dialect.rebind(q)
	if slices.Contains(tx.ran, q) {
		return nil
	}
	st := tx.stmts.get(q)
	if st == nil {
		return nil
	}
	if rows {
		tx.ran = append(tx.ran, q)
	}
	return tx.tx.StmtContext(tx.ctx, st)
}
