// Package sqldb is the database duban's stores share, through database/sql:
// SQLite (modernc.org/sqlite, pure Go) for one server with no set-up,
// PostgreSQL (jackc/pgx) for several servers behind a balancer. It opens the
// database and applies its one sequence of numbered migrations, dumps the
// schema, runs transactions (each with its one "now", its user and its place
// in the audit chain) and reads and verifies the audit log. The stores under
// it keep one concern each: ledgerstore (plans, tasks and the directory),
// accountstore (accounts and sign-in), deliverystore (channels and the
// delivery queue) and cyclestore (the reporting cycle).
//
// The SQL is written by hand, once, in the dialect both understand; the few
// differences (how parameters are numbered, how times are kept, how writers
// are serialised) are in this file.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dubanhq/duban"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the database behind a DB.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

func (d dialect) String() string {
	if d == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is an open store. For SQLite it holds one connection for writing and a
// pool for reading: SQLite allows one writer at a time, and queueing writers
// on one connection inside the process (rather than letting them collide in
// the file lock) is what keeps "database is locked" from ever reaching a
// user. For PostgreSQL both are the same pool, and writers are serialised by
// a row lock (see update).
type DB struct {
	dialect dialect
	write   *sql.DB
	read    *sql.DB
	// readStmts and writeStmts keep the statements run on each pool
	// prepared (SQLite only).
	readStmts, writeStmts *stmtCache
	// name says which database this is, without secrets, for messages.
	name string
	// file is the SQLite file as it was opened, to tell when the file at
	// its path was deleted or replaced (file.go).
	file os.FileInfo
	// applied lists the migrations this Open applied.
	applied []string

	// Now returns the time of a change. Tests may replace it.
	Now func() time.Time
}

// IsPostgres reports whether a DSN names a PostgreSQL server rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Options say what Open may do with the database it finds.
type Options struct {
	// Create lets Open make a database that is not there yet: a SQLite file
	// that does not exist, or a PostgreSQL schema without duban's tables.
	// Without it such a database is refused, so that a server started over
	// a file deleted or a path mistyped does not begin afresh as an empty
	// install with every account gone.
	Create bool
}

// Open opens the database a DSN names, a postgres:// URL or a SQLite file
// path, making it when it is not there, and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenWith(ctx, dsn, Options{Create: true})
}

// OpenWith opens the database a DSN names as opts say, brings its schema
// up to date and checks that it can be written: a read-only database is
// refused with a message saying which file, or which server, and what to
// do.
func OpenWith(ctx context.Context, dsn string, opts Options) (*DB, error) {
	var db *DB
	var err error
	if IsPostgres(dsn) {
		db, err = openPostgres(ctx, dsn, opts)
	} else {
		db, err = openSQLite(ctx, dsn, opts)
	}
	if err != nil {
		return nil, err
	}
	if !opts.Create {
		if fresh, err := db.fresh(ctx); err != nil || fresh {
			db.Close()
			if err == nil {
				err = missingDatabase(db.name)
			}
			return nil, err
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, db.readOnly(err)
	}
	if err := db.probeWrite(ctx); err != nil {
		db.Close()
		return nil, db.readOnly(err)
	}
	if err := db.backfillDeadlines(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// fresh reports whether the database has none of duban's tables: no
// migration was ever applied to it.
func (db *DB) fresh(ctx context.Context) (bool, error) {
	q := "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
	if db.dialect == dialectPostgres {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	}
	var n int
	if err := db.read.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return false, db.internal("检查数据库", err)
	}
	return n == 0, nil
}

// probeWrite writes the audit chain's head as it is and rolls back: a
// database that cannot be written fails here, at start, rather than on a
// user's first change.
func (db *DB) probeWrite(ctx context.Context) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	_, err = sqlTx.ExecContext(ctx, "UPDATE audit_head SET seq = seq WHERE id = 1")
	return err
}

// missingDatabase refuses a database that is not there.
func missingDatabase(name string) error {
	return duban.Errorf(duban.ENOTFOUND, "数据库 %s 不存在（或其中没有 duban 的数据）：如果这是新安装，"+
		"请先运行 duban user add 登录名 --role admin --db %s 创建数据库和第一位督查室管理员，或在命令后加 --init 新建一个空数据库；"+
		"如果数据库本应在那里，请检查路径，或从备份恢复。", name, name)
}

// Close closes the database's connections, the readers first: the last
// connection to close folds SQLite's write-ahead log back into the file,
// which only the writer may.
func (db *DB) Close() error {
	var err error
	for _, c := range []*stmtCache{db.readStmts, db.writeStmts} {
		if c != nil {
			err = errors.Join(err, c.close())
		}
	}
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return errors.Join(err, db.write.Close())
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.String() }

// Name says which database this is (the file, or the server and database
// without the password).
func (db *DB) Name() string { return db.name }

// Applied lists the migrations that Open applied, by file name.
func (db *DB) Applied() []string { return db.applied }

// Tx is one transaction of a service method. It carries the method's one
// "now", the user on whose behalf it runs, and, for writes, the head of the
// audit chain that the method's audit event extends.
type Tx struct {
	tx   *sql.Tx
	ctx  context.Context
	db   *DB
	now  time.Time
	user *duban.User

	// stmts keeps the statements of the transaction's pool prepared; ran
	// lists the queries it ran prepared that return rows (stmt.go).
	stmts *stmtCache
	ran   []string

	write     bool
	headSeq   int64
	headHash  string
	headMoved bool
}

// actor is how the user of the transaction is named in what it saves.
func (tx *Tx) actor() string {
	if tx.user == nil {
		return "命令行"
	}
	return tx.user.Label()
}

// update runs fn in a write transaction and commits it when fn returns nil.
// The transaction takes the write lock when it begins: on SQLite by BEGIN
// IMMEDIATE on the one write connection, on PostgreSQL by locking the audit
// chain's head row, which every write extends. Writers thus queue instead of
// failing, and the audit chain grows one event after another even with
// several servers on one database.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.internal("开始写事务", err)
	}
	tx := &Tx{tx: sqlTx, ctx: ctx, db: db, now: duban.Timestamp(db.Now()), user: duban.UserFromContext(ctx), stmts: db.writeStmts, write: true}
	defer sqlTx.Rollback()
	lock := "SELECT seq, hash FROM audit_head WHERE id = 1"
	if db.dialect == dialectPostgres {
		lock += " FOR UPDATE"
	}
	if err := tx.queryRow(lock).Scan(&tx.headSeq, &tx.headHash); err != nil {
		return db.internal("锁定审计日志", err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	if tx.headMoved {
		if _, err := tx.exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", tx.headSeq, tx.headHash); err != nil {
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return db.internal("提交事务", db.fileGone(err, true))
	}
	// A commit into a file deleted meanwhile is lost with it: it is not
	// acknowledged.
	if err := db.fileGone(nil, true); err != nil {
		return err
	}
	return nil
}

// queue runs fn in a write transaction that leaves the audit chain alone:
// enqueuing, claiming and marking jobs is the server's bookkeeping, not a
// person's change, and taking the chain's lock for it would queue every
// drainer tick behind the office's edits (and change the lists' version,
// which keeps pages cached). On SQLite it is still the one writer.
func (db *DB) queue(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.internal("开始写事务", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, ctx: ctx, db: db, now: duban.Timestamp(db.Now()), user: duban.UserFromContext(ctx), stmts: db.writeStmts}
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return db.internal("提交事务", err)
	}
	return nil
}

// view runs fn in a read-only transaction, so that a list and its total
// come from one snapshot.
func (db *DB) view(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return db.internal("开始读事务", db.fileGone(err, false))
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, ctx: ctx, db: db, now: duban.Timestamp(db.Now()), user: duban.UserFromContext(ctx), stmts: db.readStmts}
	if err := fn(tx); err != nil {
		return db.fileGone(err, false)
	}
	return sqlTx.Commit()
}

// Row is the row of a query run by ViewRow.
type Row struct {
	db  *DB
	q   string
	row *sql.Row
}

// viewRow runs a query of one row on its own, outside any transaction: one
// statement reads from one snapshot by itself, and BEGIN and COMMIT are
// spared (on SQLite a sixth to a third of a short read's time, on
// PostgreSQL two round trips). It is for the reads every request makes.
func (db *DB) viewRow(ctx context.Context, q string, args ...any) *Row {
	r := &Row{db: db, q: q}
	if db.readStmts != nil {
		if st := db.readStmts.get(q); st != nil {
			r.row = st.QueryRowContext(ctx, args...)
			return r
		}
	}
	r.row = db.read.QueryRowContext(ctx, db.dialect.rebind(q), args...)
	return r
}

// Scan copies the row's columns into dest; a query that found no row
// returns sql.ErrNoRows.
func (r *Row) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if err == nil || errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return r.db.queryError(r.q, r.db.fileGone(err, false))
}

// rebind turns the '?' placeholders the queries are written with into
// PostgreSQL's $1, $2…. No query of this package has a '?' in a literal.
func (d dialect) rebind(q string) string {
	if d != dialectPostgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := tx.prepared(q, false); st != nil {
		res, err = st.ExecContext(tx.ctx, args...)
	} else {
		res, err = tx.tx.ExecContext(tx.ctx, tx.db.dialect.rebind(q), args...)
	}
	if err != nil {
		return nil, tx.db.queryError(q, err)
	}
	return res, nil
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	var rows *sql.Rows
	var err error
	if st := tx.prepared(q, true); st != nil {
		rows, err = st.QueryContext(tx.ctx, args...)
	} else {
		rows, err = tx.tx.QueryContext(tx.ctx, tx.db.dialect.rebind(q), args...)
	}
	if err != nil {
		return nil, tx.db.queryError(q, err)
	}
	return rows, nil
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row { return tx.row(q, true, args...) }

// row runs a query of one row; open says whether the row may stay unread
// while the transaction runs other statements (see prepared).
func (tx *Tx) row(q string, open bool, args ...any) *sql.Row {
	if st := tx.prepared(q, open); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, tx.db.dialect.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(q string, args ...any) (int64, error) {
	var id int64
	if err := tx.row(q+" RETURNING id", false, args...).Scan(&id); err != nil {
		return 0, tx.db.queryError(q, err)
	}
	return id, nil
}

// count runs a SELECT count(*) and returns the count.
func (tx *Tx) count(q string, args ...any) (int, error) {
	var n int
	if err := tx.queryRow(q, args...).Scan(&n); err != nil {
		return 0, tx.db.queryError(q, err)
	}
	return n, nil
}

// ts is how a time is passed to the database: a fixed-width UTC text in
// SQLite (which has no time type, and sorts such text in time order), a
// timestamptz in PostgreSQL.
func (tx *Tx) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if tx.db.dialect == dialectPostgres {
		return t
	}
	return t.UTC().Format(duban.AuditTimeFormat)
}

// timeCol scans a time column of either dialect; NULL scans as the zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("sqldb: cannot scan %T into a time", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(duban.AuditTimeFormat, s)
	if err != nil {
		return fmt.Errorf("sqldb: bad time %q: %w", s, err)
	}
	*c.t = t
	return nil
}

// dateCol scans a date kept as YYYY-MM-DD text; "" and NULL scan as the
// zero date.
type dateCol struct{ d *duban.Date }

func (c dateCol) Scan(src any) error {
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return err
	}
	if s.String == "" {
		*c.d = duban.Date{}
		return nil
	}
	d, err := duban.ParseDate(s.String)
	if err != nil {
		return fmt.Errorf("sqldb: bad date %q", s.String)
	}
	*c.d = d
	return nil
}

// nullID is how an optional reference is passed: NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// idCol scans an optional reference; NULL scans as 0.
type idCol struct{ id *int64 }

func (c idCol) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.id = n.Int64
	return nil
}

// limit returns the LIMIT/OFFSET clause for a page and its arguments; a limit
// of 0 means no limit.
func (d dialect) limit(limit, offset int) (string, []any) {
	switch {
	case limit > 0:
		return " LIMIT ? OFFSET ?", []any{limit, max(offset, 0)}
	case offset > 0 && d == dialectSQLite:
		return " LIMIT -1 OFFSET ?", []any{offset}
	case offset > 0:
		return " OFFSET ?", []any{offset}
	}
	return "", nil
}

// binary is the collation that compares text by code point: SQLite's
// default, PostgreSQL's "C".
func (d dialect) binary() string {
	if d == dialectPostgres {
		return ` COLLATE "C"`
	}
	return ""
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// where joins conditions with AND, or returns "" for none.
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// queryError maps a database error: a broken uniqueness rule is a conflict
// the user can resolve; anything else is internal.
func (db *DB) queryError(q string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if isUniqueViolation(err) {
		return &duban.Error{Code: duban.ECONFLICT, Message: "数据已被修改或已存在：请刷新后重试。", Err: err}
	}
	if len(q) > 80 {
		q = q[:80] + "…"
	}
	return fmt.Errorf("sqldb %s: %s: %w", db.dialect, strings.Join(strings.Fields(q), " "), err)
}

func (db *DB) internal(what string, err error) error {
	var e *duban.Error
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("sqldb %s: %s: %w", db.dialect, what, err)
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// notFound is the error for a missing thing, named in Chinese (计划 #3).
func notFound(what string, id int64) error {
	return duban.Errorf(duban.ENOTFOUND, "%s #%d 不存在：请检查编号。", what, id)
}
