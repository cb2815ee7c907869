// Package deliverystore keeps notification delivery in the database of
// package sqldb: the outbound channels (webhook, WeCom, DingTalk, SMTP) and
// the once-only queue of delivery jobs that the drainers of package notify
// claim, send and mark. Other stores enqueue a message inside their own
// change's transaction through EnqueueDelivery and ChannelsFor; the tables
// come from sqldb's numbered migrations.
package deliverystore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// Tx is sqldb's transaction, which every function here works in.
type Tx = sqldb.Tx

// DeliveryService keeps the outbound channels and the table of delivery
// jobs. The queue is made once-only by the database itself: a job's key is
// unique and inserted with ON CONFLICT DO NOTHING, and a claim leases jobs
// in one UPDATE … RETURNING (skipping rows another server holds, on
// PostgreSQL), so that several servers on one database never make or send a
// job twice.
type DeliveryService struct{ db *sqldb.DB }

// NewDeliveryService returns the channels and delivery jobs of db.
func NewDeliveryService(db *sqldb.DB) *DeliveryService { return &DeliveryService{db: db} }

var _ duban.DeliveryService = (*DeliveryService)(nil)

const manageChannels = "管理消息发送渠道"

const channelColumns = "id, name, kind, unit_id, plan_id, url, smtp_addr, username, mail_from, mail_to, secret, enabled, created_at, updated_at"

// scanChannel reads the columns of channelColumns, the secret included.
func scanChannel(sc interface{ Scan(...any) error }) (*duban.Channel, error) {
	var c duban.Channel
	var to, secret string
	if err := sc.Scan(&c.ID, &c.Name, &c.Kind, sqldb.IDCol(&c.UnitID), sqldb.IDCol(&c.PlanID), &c.URL, &c.SMTPAddr, &c.Username,
		&c.From, &to, &secret, &c.Enabled, sqldb.TimeCol(&c.CreatedAt), sqldb.TimeCol(&c.UpdatedAt)); err != nil {
		return nil, err
	}
	if to != "" {
		c.To = strings.Split(to, "\n")
	}
	c.Secret, c.HasSecret = duban.Secret(secret), secret != ""
	return &c, nil
}

// FindChannelByID returns a channel, redacted.
func (s *DeliveryService) FindChannelByID(ctx context.Context, id int64) (*duban.Channel, error) {
	if _, err := duban.Authorize(ctx, "查看消息发送渠道", duban.CanManageChannels); err != nil {
		return nil, err
	}
	var c *duban.Channel
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		c, err = findChannel(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c.Redacted(), nil
}

// findChannel returns a channel in full, secret included.
func findChannel(tx *Tx, id int64) (*duban.Channel, error) {
	c, err := scanChannel(tx.QueryRow("SELECT "+channelColumns+" FROM channels WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sqldb.NotFound("发送渠道", id)
	}
	return c, err
}

// FindChannels returns channels, redacted, by name.
func (s *DeliveryService) FindChannels(ctx context.Context, f duban.ChannelFilter) ([]*duban.Channel, int, error) {
	if _, err := duban.Authorize(ctx, "查看消息发送渠道", duban.CanManageChannels); err != nil {
		return nil, 0, err
	}
	var conds []string
	var args []any
	if f.Kind != nil {
		conds, args = append(conds, "kind = ?"), append(args, string(*f.Kind))
	}
	if f.UnitID != nil {
		conds, args = append(conds, "unit_id = ?"), append(args, *f.UnitID)
	}
	if f.PlanID != nil {
		conds, args = append(conds, "plan_id = ?"), append(args, *f.PlanID)
	}
	if f.Enabled != nil {
		conds, args = append(conds, "enabled = ?"), append(args, *f.Enabled)
	}
	var out []*duban.Channel
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		if total, err = tx.Count("SELECT count(*) FROM channels"+sqldb.Where(conds), args...); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		out, err = queryChannels(tx, "SELECT "+channelColumns+" FROM channels"+sqldb.Where(conds)+" ORDER BY name"+tx.Binary()+", id"+page, append(args, pargs...)...)
		return err
	})
	return out, total, err
}

// queryChannels runs a query of channelColumns and returns the channels
// redacted.
func queryChannels(tx *Tx, q string, args ...any) ([]*duban.Channel, error) {
	cs, err := queryAll(tx, scanChannel, q, args...)
	for i, c := range cs {
		cs[i] = c.Redacted()
	}
	return cs, err
}

// queryAll runs a query and scans each row with scan.
func queryAll[T any](tx *Tx, scan func(interface{ Scan(...any) error }) (*T, error), q string, args ...any) ([]*T, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ChannelsFor returns the enabled channels a message about a unit in a plan
// goes through, redacted.
func (s *DeliveryService) ChannelsFor(ctx context.Context, unitID, planID int64) ([]*duban.Channel, error) {
	var out []*duban.Channel
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = ChannelsFor(tx, unitID, planID)
		return err
	})
	return out, err
}

// ChannelsFor returns, redacted, the enabled channels a message about a
// unit in a plan goes through (duban.Channel.Matches), for a service that
// enqueues messages in its own transaction.
func ChannelsFor(tx *Tx, unitID, planID int64) ([]*duban.Channel, error) {
	all, err := EnabledChannels(tx)
	if err != nil {
		return nil, err
	}
	var out []*duban.Channel
	for _, c := range all {
		if c.Matches(unitID, planID) {
			out = append(out, c)
		}
	}
	return out, nil
}

// EnabledChannels returns, redacted, every enabled channel by ID, for a
// service that picks the channels of many messages (duban.Channel.Matches)
// from one read.
func EnabledChannels(tx *Tx) ([]*duban.Channel, error) {
	return queryChannels(tx, "SELECT "+channelColumns+" FROM channels WHERE enabled = ? ORDER BY id", true)
}

// checkChannelScope makes sure the unit and plan a channel is set for
// exist.
func checkChannelScope(tx *Tx, c *duban.Channel) error {
	if c.UnitID != 0 {
		if _, err := ledgerstore.ActiveUnit(tx, c.UnitID); err != nil {
			return err
		}
	}
	if c.PlanID != 0 {
		if err := ledgerstore.PlanExists(tx, c.PlanID); err != nil {
			return err
		}
	}
	return nil
}

// CreateChannel adds a channel and sets its ID. A webhook without a secret
// gets a new one, since an unsigned webhook cannot be trusted by whoever
// receives it.
func (s *DeliveryService) CreateChannel(ctx context.Context, c *duban.Channel) error {
	if _, err := duban.Authorize(ctx, manageChannels, duban.CanManageChannels); err != nil {
		return err
	}
	trimChannel(c)
	if c.Kind == duban.ChannelWebhook && c.Secret == "" {
		c.Secret = duban.NewWebhookSecret()
	}
	c.HasSecret = c.Secret != ""
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		if err := checkChannelScope(tx, c); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt = tx.Now(), tx.Now()
		var err error
		c.ID, err = tx.Insert(`INSERT INTO channels (name, kind, unit_id, plan_id, url, smtp_addr, username, mail_from, mail_to, secret, enabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Name, string(c.Kind), sqldb.NullID(c.UnitID), sqldb.NullID(c.PlanID), c.URL,
			c.SMTPAddr, c.Username, c.From, strings.Join(c.To, "\n"), c.Secret.Reveal(), c.Enabled, tx.Time(tx.Now()), tx.Time(tx.Now()))
		if err != nil {
			return err
		}
		return tx.Record("channel.create", "channel", c.ID, c.PlanID, "新建发送渠道："+c.Name+"（"+c.Kind.Label()+"）", nil, c.Redacted())
	})
}

func trimChannel(c *duban.Channel) {
	for _, f := range []*string{&c.Name, &c.URL, &c.SMTPAddr, &c.Username, &c.From} {
		*f = strings.TrimSpace(*f)
	}
	for i := range c.To {
		c.To[i] = strings.TrimSpace(c.To[i])
	}
	c.To = slices.DeleteFunc(c.To, func(s string) bool { return s == "" })
}

// UpdateChannel changes a channel and returns it, redacted.
func (s *DeliveryService) UpdateChannel(ctx context.Context, id int64, upd duban.ChannelUpdate) (*duban.Channel, error) {
	if _, err := duban.Authorize(ctx, manageChannels, duban.CanManageChannels); err != nil {
		return nil, err
	}
	var c *duban.Channel
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if c, err = findChannel(tx, id); err != nil {
			return err
		}
		before := c.Redacted()
		upd.Apply(c)
		trimChannel(c)
		if err := c.Validate(); err != nil {
			return err
		}
		if err := checkChannelScope(tx, c); err != nil {
			return err
		}
		c.UpdatedAt = tx.Now()
		if _, err := tx.Exec(`UPDATE channels SET name = ?, unit_id = ?, plan_id = ?, url = ?, smtp_addr = ?, username = ?,
			mail_from = ?, mail_to = ?, secret = ?, enabled = ?, updated_at = ? WHERE id = ?`,
			c.Name, sqldb.NullID(c.UnitID), sqldb.NullID(c.PlanID), c.URL, c.SMTPAddr, c.Username, c.From, strings.Join(c.To, "\n"),
			c.Secret.Reveal(), c.Enabled, tx.Time(tx.Now()), id); err != nil {
			return err
		}
		return tx.Record("channel.update", "channel", id, c.PlanID, "修改发送渠道："+c.Name, before, c.Redacted())
	})
	if err != nil {
		return nil, err
	}
	return c.Redacted(), nil
}

// DeleteChannel removes a channel; its unsent jobs are marked failed and
// all its jobs stay in the log under its name.
func (s *DeliveryService) DeleteChannel(ctx context.Context, id int64) error {
	if _, err := duban.Authorize(ctx, manageChannels, duban.CanManageChannels); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		c, err := findChannel(tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE deliveries SET state = ?, last_error = ?, lease_until = NULL, updated_at = ?
			WHERE channel_id = ? AND state IN (?, ?)`, string(duban.DeliveryFailed), "发送渠道已删除，未发送。",
			tx.Time(tx.Now()), id, string(duban.DeliveryPending), string(duban.DeliverySending)); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM channels WHERE id = ?", id); err != nil {
			return err
		}
		return tx.Record("channel.delete", "channel", id, c.PlanID, "删除发送渠道："+c.Name, c.Redacted(), nil)
	})
}

// EnqueueDelivery adds a job unless one with its key exists.
func (s *DeliveryService) EnqueueDelivery(ctx context.Context, d *duban.Delivery) (bool, error) {
	var created bool
	err := s.db.Queue(ctx, func(tx *Tx) error {
		var err error
		created, err = EnqueueDelivery(tx, d)
		return err
	})
	return created, err
}

// EnqueueDelivery adds a job in tx unless one with its key exists (whichever
// server made it), and reports whether it did. Services that send a message
// as part of a change (a reminder, 催办) call it inside the change's own
// transaction, so that the message exists exactly when the change does.
func EnqueueDelivery(tx *Tx, d *duban.Delivery) (bool, error) {
	if err := d.Validate(); err != nil {
		return false, err
	}
	var name, kind string
	err := tx.QueryRow("SELECT name, kind FROM channels WHERE id = ?", d.ChannelID).Scan(&name, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return false, sqldb.NotFound("发送渠道", d.ChannelID)
	} else if err != nil {
		return false, tx.QueryError("SELECT name, kind FROM channels", err)
	}
	due := duban.Timestamp(d.NextAttemptAt)
	if due.Before(tx.Now()) {
		due = tx.Now()
	}
	var id int64
	err = tx.QueryRow(`INSERT INTO deliveries (channel_id, channel_name, channel_kind, dedup_key, event, unit_id, plan_id,
			subject, body, link, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
		d.ChannelID, name, kind, d.Key, d.Event, sqldb.NullID(d.UnitID), sqldb.NullID(d.PlanID), d.Subject, d.Body, d.Link,
		string(duban.DeliveryPending), tx.Time(due), tx.Time(tx.Now()), tx.Time(tx.Now())).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, tx.QueryError("INSERT INTO deliveries", err)
	}
	d.ID, d.ChannelName, d.ChannelKind = id, name, duban.ChannelKind(kind)
	d.State, d.Attempts, d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = duban.DeliveryPending, 0, due, tx.Now(), tx.Now()
	return true, nil
}

const deliveryColumns = `id, channel_id, channel_name, channel_kind, dedup_key, event, unit_id, plan_id, subject, body, link,
	state, attempts, next_attempt_at, last_error, lease_owner, lease_until, created_at, updated_at, sent_at`

func scanDelivery(sc interface{ Scan(...any) error }) (*duban.Delivery, error) {
	var d duban.Delivery
	if err := sc.Scan(&d.ID, sqldb.IDCol(&d.ChannelID), &d.ChannelName, &d.ChannelKind, &d.Key, &d.Event, sqldb.IDCol(&d.UnitID),
		sqldb.IDCol(&d.PlanID), &d.Subject, &d.Body, &d.Link, &d.State, &d.Attempts, sqldb.TimeCol(&d.NextAttemptAt), &d.LastError,
		&d.LeaseOwner, sqldb.TimeCol(&d.LeaseUntil), sqldb.TimeCol(&d.CreatedAt), sqldb.TimeCol(&d.UpdatedAt), sqldb.TimeCol(&d.SentAt)); err != nil {
		return nil, err
	}
	return &d, nil
}

func queryDeliveries(tx *Tx, q string, args ...any) ([]*duban.Delivery, error) {
	return queryAll(tx, scanDelivery, q, args...)
}

// updateLeased runs an UPDATE … RETURNING of one job under a lease and
// returns the job, or the error saying why it matched no row.
func updateLeased(tx *Tx, id int64, q string, args ...any) (*duban.Delivery, error) {
	ds, err := queryDeliveries(tx, q+" RETURNING "+deliveryColumns, args...)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, leaseLost(tx, id)
	}
	return ds[0], nil
}

// maxClaim bounds the jobs one claim leases.
const maxClaim = 500

func checkClaim(c duban.DeliveryClaim) error {
	if strings.TrimSpace(c.Owner) == "" || len(c.Owner) > 200 || c.Lease <= 0 {
		return fmt.Errorf("sqldb: a claim needs an owner and a lease, got %q for %v", c.Owner, c.Lease)
	}
	return nil
}

// ClaimDeliveries leases due jobs, oldest due first, to c.Owner.
func (s *DeliveryService) ClaimDeliveries(ctx context.Context, c duban.DeliveryClaim) ([]*duban.Delivery, error) {
	if err := checkClaim(c); err != nil {
		return nil, err
	}
	limit := min(max(c.Limit, 1), maxClaim)
	var out []*duban.Delivery
	err := s.db.Queue(ctx, func(tx *Tx) error {
		due := `SELECT id FROM deliveries WHERE (state = ? AND next_attempt_at <= ?) OR (state = ? AND lease_until <= ?)
			ORDER BY next_attempt_at, id LIMIT ?`
		if tx.Postgres() {
			// Rows another server is claiming are skipped rather than
			// waited for; a row it has just claimed no longer matches.
			due += " FOR UPDATE SKIP LOCKED"
		}
		var err error
		out, err = queryDeliveries(tx, `UPDATE deliveries SET state = ?, attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
			WHERE id IN (`+due+`) RETURNING `+deliveryColumns,
			string(duban.DeliverySending), c.Owner, tx.Time(tx.Now().Add(c.Lease)), tx.Time(tx.Now()),
			string(duban.DeliveryPending), tx.Time(tx.Now()), string(duban.DeliverySending), tx.Time(tx.Now()), limit)
		if err != nil {
			return err
		}
		slices.SortFunc(out, func(a, b *duban.Delivery) int {
			return cmp.Or(a.NextAttemptAt.Compare(b.NextAttemptAt), cmp.Compare(a.ID, b.ID))
		})
		return attachChannels(tx, out)
	})
	return out, err
}

// attachChannels fills each job's Channel in full, for the drainer to send
// with; a job whose channel was deleted keeps a nil one.
func attachChannels(tx *Tx, ds []*duban.Delivery) error {
	var ids []any
	for _, d := range ds {
		if d.ChannelID != 0 && !slices.Contains(ids, any(d.ChannelID)) {
			ids = append(ids, d.ChannelID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query("SELECT "+channelColumns+" FROM channels WHERE id IN ("+sqldb.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := map[int64]*duban.Channel{}
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return err
		}
		byID[c.ID] = c
	}
	for _, d := range ds {
		d.Channel = byID[d.ChannelID]
	}
	return rows.Err()
}

// ClaimDelivery leases one job now, due or not.
func (s *DeliveryService) ClaimDelivery(ctx context.Context, id int64, c duban.DeliveryClaim) (*duban.Delivery, error) {
	if err := checkClaim(c); err != nil {
		return nil, err
	}
	var d *duban.Delivery
	err := s.db.Queue(ctx, func(tx *Tx) error {
		var err error
		d, err = updateLeased(tx, id, `UPDATE deliveries SET state = ?, attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
			WHERE id = ? AND (state = ? OR (state = ? AND lease_until <= ?))`,
			string(duban.DeliverySending), c.Owner, tx.Time(tx.Now().Add(c.Lease)), tx.Time(tx.Now()),
			id, string(duban.DeliveryPending), string(duban.DeliverySending), tx.Time(tx.Now()))
		if err != nil {
			return err
		}
		return attachChannels(tx, []*duban.Delivery{d})
	})
	return d, err
}

// leaseLost is the error for a job that could not be claimed or marked: it
// does not exist, or is done, or another drainer holds it.
func leaseLost(tx *Tx, id int64) error {
	var state, owner string
	err := tx.QueryRow("SELECT state, lease_owner FROM deliveries WHERE id = ?", id).Scan(&state, &owner)
	if errors.Is(err, sql.ErrNoRows) {
		return sqldb.NotFound("发送任务", id)
	} else if err != nil {
		return tx.QueryError("SELECT state FROM deliveries", err)
	}
	return duban.Errorf(duban.ECONFLICT, "发送任务 #%d 当前为“%s”（%s）：已由其他服务器处理，无需重复发送。",
		id, duban.DeliveryState(state).Label(), owner)
}

// MarkDeliverySent records that a leased job was sent.
func (s *DeliveryService) MarkDeliverySent(ctx context.Context, id int64, owner string) (*duban.Delivery, error) {
	var d *duban.Delivery
	err := s.db.Queue(ctx, func(tx *Tx) error {
		var err error
		d, err = updateLeased(tx, id, `UPDATE deliveries SET state = ?, lease_until = NULL, sent_at = ?, updated_at = ?
			WHERE id = ? AND state = ? AND lease_owner = ?`,
			string(duban.DeliverySent), tx.Time(tx.Now()), tx.Time(tx.Now()), id, string(duban.DeliverySending), owner)
		return err
	})
	return d, err
}

// maxReason bounds the reason of a failure kept in the log, in characters.
const maxReason = 500

// MarkDeliveryFailed records a failed attempt of a leased job.
func (s *DeliveryService) MarkDeliveryFailed(ctx context.Context, id int64, owner string, f duban.DeliveryFailure) (*duban.Delivery, error) {
	state := duban.DeliveryPending
	if f.Final {
		state = duban.DeliveryFailed
	}
	reason := sqldb.Truncate(strings.TrimSpace(f.Reason), maxReason)
	if reason == "" {
		reason = "发送失败（原因不明）。"
	}
	var d *duban.Delivery
	err := s.db.Queue(ctx, func(tx *Tx) error {
		var err error
		d, err = updateLeased(tx, id, `UPDATE deliveries SET state = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL, updated_at = ?
			WHERE id = ? AND state = ? AND lease_owner = ?`,
			string(state), tx.Time(tx.Now().Add(max(f.RetryIn, 0))), reason, tx.Time(tx.Now()), id, string(duban.DeliverySending), owner)
		return err
	})
	return d, err
}

// FindDeliveries returns jobs for the delivery log, newest first.
func (s *DeliveryService) FindDeliveries(ctx context.Context, f duban.DeliveryFilter) ([]*duban.Delivery, int, error) {
	if _, err := duban.Authorize(ctx, "查看发送记录", duban.CanManageChannels); err != nil {
		return nil, 0, err
	}
	var conds []string
	var args []any
	for _, c := range []struct {
		col string
		v   any
		ok  bool
	}{
		{"channel_id", deref(f.ChannelID), f.ChannelID != nil},
		{"unit_id", deref(f.UnitID), f.UnitID != nil},
		{"plan_id", deref(f.PlanID), f.PlanID != nil},
		{"state", string(deref(f.State)), f.State != nil},
		{"event", deref(f.Event), f.Event != nil},
		{"dedup_key", deref(f.Key), f.Key != nil},
	} {
		if c.ok {
			conds, args = append(conds, c.col+" = ?"), append(args, c.v)
		}
	}
	var out []*duban.Delivery
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		if total, err = tx.Count("SELECT count(*) FROM deliveries"+sqldb.Where(conds), args...); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		out, err = queryDeliveries(tx, "SELECT "+deliveryColumns+" FROM deliveries"+sqldb.Where(conds)+" ORDER BY id DESC"+page, append(args, pargs...)...)
		return err
	})
	return out, total, err
}

// deref returns what p points to, or T's zero value for nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
