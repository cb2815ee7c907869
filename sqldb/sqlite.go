package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
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
func sqliteParams(readOnly bool) url.Values {
	v := url.Values{}
	v.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_foreign_keys", "on")
	if readOnly {
		v.Set("_query_only", "on")
	} else {
		// Write transactions take the write lock when they begin, so that a
		// transaction that read first never fails to upgrade its lock.
		v.Set("_txlock", "immediate")
	}
	return v
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, duban.Errorf(duban.EINVALID, "数据库文件路径“%s”不正确：请给出一个文件路径（不含 ? 或 #），或 postgres:// 地址。", path)
	}
	db := &DB{dialect: dialectSQLite, name: path, Now: time.Now}
	var err error
	if db.write, err = sql.Open("sqlite", path+"?"+sqliteParams(false).Encode()); err != nil {
		return nil, db.internal("打开数据库", err)
	}
	// One writer: database/sql queues callers for the one connection.
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	if err := db.write.PingContext(ctx); err != nil {
		db.write.Close()
		return nil, duban.Errorf(duban.EINVALID, "无法打开数据库文件 %s：%v。请检查路径和权限。", path, err)
	}
	if db.read, err = sql.Open("sqlite", path+"?"+sqliteParams(true).Encode()); err != nil {
		db.write.Close()
		return nil, db.internal("打开数据库", err)
	}
	db.read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	db.read.SetMaxIdleConns(max(4, runtime.NumCPU()))
	db.readStmts = newStmtCache(db.read)
	return db, nil
}
