package deliverystore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/deliverystore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

const robotKey = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

// MustCreateChannel stores a channel and returns it.
func MustCreateChannel(t testing.TB, db *sqldb.DB, c *duban.Channel) *duban.Channel {
	t.Helper()
	if err := deliverystore.NewDeliveryService(db).CreateChannel(as(office), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func wecomChannel(name string) *duban.Channel {
	return &duban.Channel{Name: name, Kind: duban.ChannelWeCom, Enabled: true,
		URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + robotKey}
}

func reminder(channelID int64, key string) *duban.Delivery {
	return &duban.Delivery{ChannelID: channelID, Key: key, Event: "reminder", Subject: "【督办提醒】7 月进展情况请于 7 月 25 日前报送",
		Body: "区财政局：任务 1.2.3 的 7 月进展情况尚未报送，请于 2022 年 7 月 25 日前登录督办系统报送。"}
}

// TestChannels creates, reads, changes and deletes channels: secrets are
// kept but never read back, the audit log holds no secret, and only the
// office may do any of it.
func TestChannels(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		s := deliverystore.NewDeliveryService(db)
		hook := MustCreateChannel(t, db, &duban.Channel{Name: "区大数据局接口", Kind: duban.ChannelWebhook, URL: "https://10.1.2.3:8443/hooks/duban", Enabled: true})
		secret := hook.Secret.Reveal()
		if !strings.HasPrefix(secret, "whsec_") {
			t.Errorf("a webhook made without a secret: got secret %q, want a new whsec_ one", secret)
		}
		robot := MustCreateChannel(t, db, wecomChannel("区财政局工作群"))

		got, err := s.FindChannelByID(as(office), hook.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Secret != "" || !got.HasSecret || got.URL != hook.URL {
			t.Errorf("read back: got secret %q has_secret %v url %q, want none, true, %q", got.Secret.Reveal(), got.HasSecret, got.URL, hook.URL)
		}
		list, total, err := s.FindChannels(as(office), duban.ChannelFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(list) != 2 {
			t.Fatalf("got %d channels (total %d), want 2", len(list), total)
		}
		for _, c := range list {
			if c.Secret != "" || strings.Contains(c.URL, robotKey) {
				t.Errorf("list shows a secret: %q, %q", c.Secret.Reveal(), c.URL)
			}
		}
		if c, _ := s.FindChannelByID(as(office), robot.ID); c.URL != "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a******" {
			t.Errorf("robot address read back: got %q, want its key hidden", c.URL)
		}

		// A form that does not show the secret keeps it.
		name := "区大数据局数据接口"
		upd, err := s.UpdateChannel(as(office), hook.ID, duban.ChannelUpdate{Name: &name})
		if err != nil {
			t.Fatal(err)
		}
		if upd.Name != name || !upd.HasSecret || upd.Secret != "" {
			t.Errorf("after renaming: got %+v, want the new name and the secret kept, hidden", upd)
		}
		claimed := mustEnqueueAndClaim(t, s, hook.ID, "keep-secret")
		if claimed.Channel == nil || claimed.Channel.Secret.Reveal() != secret {
			t.Errorf("the claimed job's channel: got %v, want it in full with its secret", claimed.Channel)
		}

		// Wrong settings are refused and change nothing.
		bad := "ftp://example.gov.cn/hook"
		_, err = s.UpdateChannel(as(office), hook.ID, duban.ChannelUpdate{URL: &bad})
		wantCode(t, "ftp address", err, duban.EINVALID)
		shown := got.URL + "?token=abcd******"
		_, err = s.UpdateChannel(as(office), hook.ID, duban.ChannelUpdate{URL: &shown})
		wantCode(t, "redacted address saved back", err, duban.EINVALID)
		err = s.CreateChannel(as(office), &duban.Channel{Name: "邮件", Kind: duban.ChannelEmail, SMTPAddr: "mail.example.gov.cn", From: "duban@example.gov.cn", To: []string{"czj@example.gov.cn"}})
		wantCode(t, "smtp server without a port", err, duban.EINVALID)
		err = s.CreateChannel(as(office), &duban.Channel{Name: "某单位", Kind: duban.ChannelWeCom, URL: "https://qyapi.weixin.qq.com/x", UnitID: 99999})
		wantCode(t, "unknown unit", err, duban.ENOTFOUND)

		// Only the office.
		_, _, err = s.FindChannels(as(viewer), duban.ChannelFilter{})
		wantCode(t, "viewer lists channels", err, duban.EFORBIDDEN)
		err = s.CreateChannel(as(viewer), wecomChannel("x"))
		wantCode(t, "viewer creates a channel", err, duban.EFORBIDDEN)
		_, _, err = s.FindDeliveries(context.Background(), duban.DeliveryFilter{})
		wantCode(t, "nobody reads the log", err, duban.EUNAUTHORIZED)

		// Deleting a channel fails its unsent jobs and keeps the log.
		if _, err := s.EnqueueDelivery(context.Background(), reminder(robot.ID, "unsent")); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteChannel(as(office), robot.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindChannelByID(as(office), robot.ID)
		wantCode(t, "deleted channel", err, duban.ENOTFOUND)
		ds, _, err := s.FindDeliveries(as(office), duban.DeliveryFilter{Key: ptr("unsent")})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].State != duban.DeliveryFailed || ds[0].ChannelName != "区财政局工作群" || ds[0].ChannelID != 0 {
			t.Errorf("job of a deleted channel: got %+v, want failed, under the channel's name", ds)
		}

		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("channel")})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 4 {
			t.Errorf("got %d audit events of channels, want 4 (2 created, 1 changed, 1 deleted)", len(events))
		}
		for _, e := range events {
			if all := string(e.Before) + string(e.After); strings.Contains(all, secret) || strings.Contains(all, robotKey) {
				t.Errorf("audit event %s holds a secret: %s", e.Action, all)
			}
		}
		MustVerifyAudit(t, db)
	})
}

// TestChannelsFor picks the channels of a message by unit and plan.
func TestChannelsFor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		plan := sqldbtest.MustImport(t, db, office, sqldbtest.MustReadGold(t), "source.md")
		units := ledgerstore.NewUnitService(db)
		a, b := &duban.Unit{Name: "测试单位甲", Kind: duban.UnitDepartment}, &duban.Unit{Name: "测试单位乙", Kind: duban.UnitDepartment}
		for _, u := range []*duban.Unit{a, b} {
			if err := units.CreateUnit(as(office), u); err != nil {
				t.Fatal(err)
			}
		}
		all := MustCreateChannel(t, db, &duban.Channel{Name: "督查室群", Kind: duban.ChannelDingTalk, URL: "https://oapi.dingtalk.com/robot/send?access_token=x", Enabled: true})
		ofA := MustCreateChannel(t, db, &duban.Channel{Name: "财政局群", Kind: duban.ChannelWeCom, URL: "https://qyapi.weixin.qq.com/s?key=a", UnitID: a.ID, Enabled: true})
		ofPlan := MustCreateChannel(t, db, &duban.Channel{Name: "计划群", Kind: duban.ChannelWeCom, URL: "https://qyapi.weixin.qq.com/s?key=p", PlanID: plan.ID, Enabled: true})
		ofAInPlan := MustCreateChannel(t, db, &duban.Channel{Name: "财政局本计划", Kind: duban.ChannelWeCom, URL: "https://qyapi.weixin.qq.com/s?key=ap", UnitID: a.ID, PlanID: plan.ID, Enabled: true})
		MustCreateChannel(t, db, &duban.Channel{Name: "停用", Kind: duban.ChannelWeCom, URL: "https://qyapi.weixin.qq.com/s?key=off", Enabled: false})
		for _, c := range []struct {
			unit, plan int64
			want       []int64
		}{
			{a.ID, plan.ID, []int64{all.ID, ofA.ID, ofPlan.ID, ofAInPlan.ID}},
			{b.ID, plan.ID, []int64{all.ID, ofPlan.ID}},
			{a.ID, 0, []int64{all.ID, ofA.ID}},
			{0, 0, []int64{all.ID}},
		} {
			chs, err := deliverystore.NewDeliveryService(db).ChannelsFor(context.Background(), c.unit, c.plan)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, ch := range chs {
				got = append(got, ch.ID)
				if !ch.Matches(c.unit, c.plan) || ch.Secret != "" {
					t.Errorf("channel %v for unit %d plan %d: does not match, or shows its secret", ch, c.unit, c.plan)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("unit %d plan %d: got channels %v, want %v", c.unit, c.plan, got, c.want)
			}
		}
	})
}

func mustEnqueueAndClaim(t *testing.T, s *deliverystore.DeliveryService, channelID int64, key string) *duban.Delivery {
	t.Helper()
	d := reminder(channelID, key)
	if ok, err := s.EnqueueDelivery(context.Background(), d); err != nil || !ok {
		t.Fatalf("enqueue %s: got %v, %v, want a new job", key, ok, err)
	}
	got, err := s.ClaimDelivery(context.Background(), d.ID, duban.DeliveryClaim{Owner: "test", Lease: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestEnqueueOnce enqueues the same keys again and again: one job a key.
func TestEnqueueOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		s := deliverystore.NewDeliveryService(db)
		ch := MustCreateChannel(t, db, wecomChannel("群"))
		first := reminder(ch.ID, "reminder:17:2022-07-20")
		created, err := s.EnqueueDelivery(context.Background(), first)
		if err != nil || !created || first.ID == 0 || first.State != duban.DeliveryPending || first.ChannelName != "群" {
			t.Fatalf("first enqueue: got %v, %v, %+v", created, err, first)
		}
		again := reminder(ch.ID, "reminder:17:2022-07-20")
		again.Subject = "另一个标题"
		created, err = s.EnqueueDelivery(context.Background(), again)
		if err != nil || created || again.ID != 0 {
			t.Errorf("second enqueue of a key: got created %v, id %d, err %v, want nothing done", created, again.ID, err)
		}
		ds, total, err := s.FindDeliveries(as(office), duban.DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || ds[0].Subject != first.Subject {
			t.Errorf("got %d jobs (%+v), want the first alone", total, ds)
		}
		_, err = s.EnqueueDelivery(context.Background(), reminder(9999, "k"))
		wantCode(t, "unknown channel", err, duban.ENOTFOUND)
		_, err = s.EnqueueDelivery(context.Background(), reminder(ch.ID, ""))
		wantCode(t, "empty key", err, duban.EINVALID)
	})
}

// TestEnqueueOnceTwoServers enqueues the same keys from two handles on one
// database at once, as two servers reminding the same units do: each key
// makes one job, and exactly one enqueue of each reports it made it.
func TestEnqueueOnceTwoServers(t *testing.T) {
	forEachDB(t, func(t *testing.T, a *sqldb.DB) {
		dsn := sqldbtest.DSNOf(a)
		b := mustOpen(t, dsn)
		ch := MustCreateChannel(t, a, wecomChannel("群"))
		const keys, tries = 40, 3
		var mu sync.Mutex
		made := map[string]int{}
		failures := sqldbtest.Hammer(2*tries, keys, func(w, i int) error {
			db := a
			if w%2 == 1 {
				db = b
			}
			key := fmt.Sprintf("reminder:%d:2022-07-20", i)
			created, err := deliverystore.NewDeliveryService(db).EnqueueDelivery(context.Background(), reminder(ch.ID, key))
			if created {
				mu.Lock()
				made[key]++
				mu.Unlock()
			}
			return err
		})
		if len(failures) > 0 {
			t.Fatalf("got %d failed enqueues, want 0; first: %v", len(failures), failures[0])
		}
		_, total, err := deliverystore.NewDeliveryService(a).FindDeliveries(as(office), duban.DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != keys || len(made) != keys {
			t.Errorf("got %d jobs, %d keys reported made, want %d", total, len(made), keys)
		}
		for k, n := range made {
			if n != 1 {
				t.Errorf("key %s reported made %d times, want once", k, n)
			}
		}
	})
}

// TestClaimLease walks a job through claims, a failure with back-off, a
// lease that runs out and a drainer that lost its lease.
func TestClaimLease(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := sqldbtest.UseClock(db)
		s := deliverystore.NewDeliveryService(db)
		ch := MustCreateChannel(t, db, wecomChannel("群"))
		ctx := context.Background()
		claimA := duban.DeliveryClaim{Owner: "server-a", Limit: 10, Lease: 2 * time.Minute}
		claimB := duban.DeliveryClaim{Owner: "server-b", Limit: 10, Lease: 2 * time.Minute}
		later := reminder(ch.ID, "later")
		later.NextAttemptAt = clk.Now().Add(time.Hour)
		for _, d := range []*duban.Delivery{reminder(ch.ID, "now"), later} {
			if _, err := s.EnqueueDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}

		got := mustClaim(t, s, claimA, "now")
		d := got[0]
		if d.State != duban.DeliverySending || d.Attempts != 1 || d.LeaseOwner != "server-a" || !d.LeaseUntil.Equal(clk.Now().Add(2*time.Minute)) {
			t.Errorf("claimed: got %+v", d)
		}
		if d.Channel == nil || d.Channel.URL != ch.URL {
			t.Errorf("claimed job's channel: got %v, want it in full", d.Channel)
		}
		mustClaim(t, s, claimB) // leased to a: nothing for b

		// A failure puts it back after its back-off.
		f, err := s.MarkDeliveryFailed(ctx, d.ID, "server-a", duban.DeliveryFailure{Reason: "地址无法连接", RetryIn: 5 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if f.State != duban.DeliveryPending || f.LastError != "地址无法连接" || !f.NextAttemptAt.Equal(clk.Now().Add(5*time.Minute)) {
			t.Errorf("after a failure: got %+v", f)
		}
		clk.Advance(4 * time.Minute)
		mustClaim(t, s, claimB)
		clk.Advance(time.Minute)
		d = mustClaim(t, s, claimB, "now")[0]
		if d.Attempts != 2 {
			t.Errorf("second claim: got %d attempts, want 2", d.Attempts)
		}

		// b stops without a word; its lease runs out and a takes the job.
		clk.Advance(2*time.Minute - time.Microsecond)
		mustClaim(t, s, claimA)
		clk.Advance(time.Microsecond)
		d = mustClaim(t, s, claimA, "now")[0]
		if d.Attempts != 3 || d.LeaseOwner != "server-a" {
			t.Errorf("job taken over: got %+v", d)
		}
		_, err = s.MarkDeliverySent(ctx, d.ID, "server-b")
		wantCode(t, "b marks a job it lost", err, duban.ECONFLICT)
		sent, err := s.MarkDeliverySent(ctx, d.ID, "server-a")
		if err != nil {
			t.Fatal(err)
		}
		if sent.State != duban.DeliverySent || !sent.SentAt.Equal(clk.Now()) || !sent.LeaseUntil.IsZero() {
			t.Errorf("sent: got %+v", sent)
		}
		_, err = s.ClaimDelivery(ctx, d.ID, claimA)
		wantCode(t, "claiming a sent job", err, duban.ECONFLICT)
		_, err = s.MarkDeliverySent(ctx, 9999, "server-a")
		wantCode(t, "marking no job", err, duban.ENOTFOUND)

		// The later job is due in its time; a final failure gives it up.
		clk.Advance(time.Hour)
		d = mustClaim(t, s, claimB, "later")[0]
		f, err = s.MarkDeliveryFailed(ctx, d.ID, "server-b", duban.DeliveryFailure{Reason: "签名错误", Final: true})
		if err != nil {
			t.Fatal(err)
		}
		if f.State != duban.DeliveryFailed {
			t.Errorf("final failure: got state %s", f.State)
		}
		clk.Advance(24 * time.Hour)
		mustClaim(t, s, claimA)

		failed := duban.DeliveryFailed
		ds, total, err := s.FindDeliveries(as(office), duban.DeliveryFilter{State: &failed, ChannelID: &ch.ID})
		if err != nil || total != 1 || ds[0].Key != "later" {
			t.Errorf("log of failed jobs: got %d (%v), want the later one", total, err)
		}
	})
}

// mustClaim claims and checks which jobs, by key, come back.
func mustClaim(t *testing.T, s *deliverystore.DeliveryService, c duban.DeliveryClaim, keys ...string) []*duban.Delivery {
	t.Helper()
	ds, err := s.ClaimDeliveries(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Key)
	}
	if !slices.Equal(got, keys) {
		t.Fatalf("%s claims: got %q, want %q", c.Owner, got, keys)
	}
	return ds
}

// TestClaimTwoServers claims from two handles at once until nothing is
// due: every job is leased once, to one of them.
func TestClaimTwoServers(t *testing.T) {
	forEachDB(t, func(t *testing.T, a *sqldb.DB) {
		dsn := sqldbtest.DSNOf(a)
		b := mustOpen(t, dsn)
		ch := MustCreateChannel(t, a, wecomChannel("群"))
		const jobs = 200
		for i := range jobs {
			if _, err := deliverystore.NewDeliveryService(a).EnqueueDelivery(context.Background(), reminder(ch.ID, fmt.Sprint(i))); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		leased := map[int64]string{}
		var wg sync.WaitGroup
		for w, db := range []*sqldb.DB{a, b, a, b} {
			owner := fmt.Sprintf("server-%d", w)
			wg.Go(func() {
				s := deliverystore.NewDeliveryService(db)
				for {
					ds, err := s.ClaimDeliveries(context.Background(), duban.DeliveryClaim{Owner: owner, Limit: 7, Lease: time.Hour})
					if err != nil {
						t.Error(err)
						return
					}
					if len(ds) == 0 {
						return
					}
					mu.Lock()
					for _, d := range ds {
						if prev, ok := leased[d.ID]; ok {
							t.Errorf("job %d leased to %s and %s", d.ID, prev, owner)
						}
						leased[d.ID] = owner
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(leased) != jobs {
			t.Errorf("got %d jobs leased, want %d", len(leased), jobs)
		}
	})
}
