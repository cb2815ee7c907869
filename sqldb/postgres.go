package sqldb

import (
	"context"
	"database/sql"
	"net/url"
	"time"

	"github.com/dubanhq/duban"
)

func openPostgres(ctx context.Context, dsn string, _ Options) (*DB, error) {
	db := &DB{dialect: dialectPostgres, name: RedactDSN(dsn), Now: time.Now}
	var err error
	if db.write, err = sql.Open("pgx", dsn); err != nil {
		return nil, duban.Errorf(duban.EINVALID, "PostgreSQL 地址 %s 不正确：%v。", db.name, err)
	}
	db.write.SetMaxOpenConns(20)
	db.write.SetMaxIdleConns(5)
	db.write.SetConnMaxIdleTime(5 * time.Minute)
	db.read = db.write
	if err := db.write.PingContext(ctx); err != nil {
		db.write.Close()
		return nil, &duban.Error{Code: duban.EINTERNAL, Message: "无法连接 PostgreSQL " + db.name + "：请检查服务器是否运行、地址和密码是否正确。", Err: err}
	}
	return db, nil
}

// RedactDSN returns a DSN fit to print: a URL's password is replaced by
// "xxxxx", and a "password" parameter too.
func RedactDSN(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://（地址无法解析）"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
