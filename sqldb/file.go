package sqldb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dubanhq/duban"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// fileGone returns, when the SQLite file the store opened is no longer at
// its path (deleted, or replaced by another file), an error saying so in
// place of err; otherwise err. Writes check it after each commit, so that
// a change into a file no one will open again is never acknowledged;
// reads when they fail, since a connection opened anew finds no file.
func (db *DB) fileGone(err error, write bool) error {
	if db.file == nil {
		return err
	}
	st, serr := os.Stat(db.name)
	if serr == nil && os.SameFile(st, db.file) {
		return err
	}
	what := "已被删除"
	if serr == nil {
		what = "已被替换为另一个文件"
	}
	lost := "无法读取"
	if write {
		lost = "这次修改没有保存"
	}
	return &duban.Error{Code: duban.EINTERNAL, Err: errors.Join(err, serr),
		Message: fmt.Sprintf("数据库文件 %s 在 duban 运行时%s，%s：请停止 duban，把数据库文件恢复到原处（如从备份），再启动。", db.name, what, lost)}
}

// readOnly returns, for an error that says the database cannot be
// written, an error saying which file cannot be written and what to do;
// otherwise err.
func (db *DB) readOnly(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "25006" {
		return &duban.Error{Code: duban.EINVALID, Err: err,
			Message: fmt.Sprintf("PostgreSQL 数据库 %s 只读（如备库，或连接的账号只能读）：duban 需要写入数据库。请连接主库，或换用可写的账号。", db.name)}
	}
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_READONLY {
		return err
	}
	path := db.name
	fail := func(format string, args ...any) error {
		return &duban.Error{Code: duban.EINVALID, Err: err, Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case !writable(path):
		return fail("数据库文件 %s 只读：duban 需要写入它。请让运行 duban 的用户能写入该文件、同目录的 -wal 和 -shm 文件及目录本身，再启动。", path)
	case exists(path+"-wal") && !writable(path+"-wal"):
		return fail("数据库的预写日志文件 %s-wal 只读：请把它改为运行 duban 的用户可写，再启动。不要删除它：其中可能有尚未写回数据库的修改。", path)
	case exists(path+"-shm") && !writable(path+"-shm"):
		return fail("数据库的共享内存文件 %s-shm 只读（多半是以其他用户或只读权限运行 duban 时留下的）：请确认没有 duban 在运行后删除它（启动时会重建），"+
			"或把它改为运行 duban 的用户可写，再启动。不要删除 -wal 文件：其中可能有尚未写回数据库的修改。", path)
	}
	return fail("数据库 %s 只读：所在目录 %s 可能不可写（SQLite 要在其中建 -wal 和 -shm 文件）。请让运行 duban 的用户能写入该目录和数据库文件，再启动。", path, filepath.Dir(path))
}

// writable reports whether this process may open a file for writing.
func writable(path string) bool {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// exists reports whether a file is there.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
