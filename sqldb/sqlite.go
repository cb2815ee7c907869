package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/dubanhq/duban"
)

// busyTimeout is how long a SQLite connection waits for a lock that another
// process holds (a command run beside the server) before giving up. Within
// one process writers queue on the one write connection and never wait on the
// file lock.
const busyTimeout = 10 * time.Second

// sqliteParams are the settings every connection gets, set explicitly rather
// than left to the driver's defaults:
//
//   - journal_mode=WAL: readers do not block the writer nor the writer them.
//   - synchronous=FULL: a commit returns only after the WAL is synced to disk.
//     NORMAL would already keep every acknowledged commit through a kill -9
//     of the process (the WAL is written before COMMIT returns, and the
//     operating system keeps what was written); FULL keeps it through a power
//     cut or a kernel crash too, at the cost of one fsync per write, which a
//     ledger that people edit by hand can afford.
//   - foreign_keys=on: SQLite leaves references unchecked otherwise.
//   - busy_timeout: wait for another process's lock instead of failing.
//   - cache_size: up to 32 MiB of pages kept per connection (SQLite's
//     default is 2 MiB), so that a pass over every task, report and light
//     of the year (the lights' recomputation) finds its pages in memory
//     rather than reading them from the file again each time.
func sqliteParams(readOnly bool) url.Values {
	v := url.Values{}
	v.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_foreign_keys", "on")
	v.Add("_pragma", "cache_size=-32768")
	if readOnly {
		v.Set("_query_only", "on")
	} else {
		// Write transactions take the write lock when they begin, so that a
		// transaction that read first never fails to upgrade its lock.
		v.Set("_txlock", "immediate")
	}
	return v
}

// sqliteURI is the name the driver opens a SQLite file by: a file: URI,
// so that SQLite's own mode parameter applies (rwc makes the file, rw and
// ro do not), with the connection's settings.
func sqliteURI(path, mode string, params url.Values) string {
	return "file:" + strings.ReplaceAll(path, "%", "%25") + "?mode=" + mode + "&" + params.Encode()
}

func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, duban.Errorf(duban.EINVALID, "数据库文件路径“%s”不正确：请给出一个文件路径（不含 ? 或 #），或 postgres:// 地址。", path)
	}
	db := &DB{dialect: dialectSQLite, name: path, Now: time.Now}
	var err error
	switch _, serr := os.Stat(path); {
	case errors.Is(serr, fs.ErrNotExist) && !opts.Create:
		return nil, missingDatabase(path)
	case errors.Is(serr, fs.ErrNotExist):
		if err := createSQLite(ctx, path); err != nil {
			return nil, err
		}
	case serr != nil:
		return nil, duban.Errorf(duban.EINVALID, "无法读取数据库文件 %s：%v。请检查路径和权限。", path, serr)
	}
	// The pools never make the file: a connection opened after it was
	// deleted fails rather than starting an empty database.
	if db.write, err = sql.Open("sqlite", sqliteURI(path, "rw", sqliteParams(false))); err != nil {
		return nil, db.internal("打开数据库", err)
	}
	// One writer: database/sql queues callers for the one connection.
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	db.writeStmts = newStmtCache(db.write)
	if err := db.write.PingContext(ctx); err != nil {
		db.write.Close()
		return nil, duban.Errorf(duban.EINVALID, "无法打开数据库文件 %s：%v。请检查路径和权限。", path, err)
	}
	if db.file, err = os.Stat(path); err != nil {
		db.write.Close()
		return nil, db.internal("打开数据库", err)
	}
	if db.read, err = sql.Open("sqlite", sqliteURI(path, "ro", sqliteParams(true))); err != nil {
		db.write.Close()
		return nil, db.internal("打开数据库", err)
	}
	db.read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	db.read.SetMaxIdleConns(max(4, runtime.NumCPU()))
	db.readStmts = newStmtCache(db.read)
	return db, nil
}

// createSQLite makes a new SQLite file, empty, for the migrations to fill.
func createSQLite(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", sqliteURI(path, "rwc", sqliteParams(false)))
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.PingContext(ctx); err != nil {
		return duban.Errorf(duban.EINVALID, "无法新建数据库文件 %s：%v。请检查路径和目录的权限。", path, err)
	}
	return nil
}
