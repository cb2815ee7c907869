package duban_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

// TestSecretHidden prints, logs and marshals a channel with its secret in
// every way a program might: the secret shows nowhere.
func TestSecretHidden(t *testing.T) {
	const secret = "SECd4f0c3b2a1e9f8d7c6b5a4"
	c := &duban.Channel{ID: 3, Name: "督查室群", Kind: duban.ChannelDingTalk, URL: "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456", Secret: secret}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("channel", "secret", c.Secret, "channel", *c)
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{
		"%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", *c), "%#v": fmt.Sprintf("%#v", *c), "%q of the secret": fmt.Sprintf("%q", c.Secret),
		"%x of the secret": fmt.Sprintf("%x", c.Secret), "JSON": string(js), "slog": logged.String(),
	} {
		if strings.Contains(s, secret) || strings.Contains(s, fmt.Sprintf("%x", secret)) {
			t.Errorf("%s shows the secret: %s", name, s)
		}
	}
	if c.Secret.Reveal() != secret {
		t.Errorf("Reveal: got %q", c.Secret.Reveal())
	}
	var back duban.Channel
	if err := json.Unmarshal([]byte(`{"secret": "whsec_abc"}`), &back); err != nil || back.Secret.Reveal() != "whsec_abc" {
		t.Errorf("a script sets a secret in JSON: got %q (%v)", back.Secret.Reveal(), err)
	}
	r := c.Redacted()
	if r.Secret != "" || !r.HasSecret || strings.Contains(r.URL, "123456") || c.Secret != secret {
		t.Errorf("redacted: got %+v, and the original's secret %v", r, c.Secret == secret)
	}
}

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a******"},
		{"https://oapi.dingtalk.com/robot/send?access_token=abc&x=", "https://oapi.dingtalk.com/robot/send?access_token=******&x="},
		{"https://u:p4ss@h.example/hook#frag", "https://u@h.example/hook"},
		{"http://10.1.2.3:8080/hook", "http://10.1.2.3:8080/hook"},
		{"", ""},
		{"not a url", "******"},
	} {
		if got := duban.RedactURL(c.in); got != c.want {
			t.Errorf("RedactURL(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzRedactURL checks that no query value longer than four characters, nor
// a password, survives redaction.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{"https://qyapi.weixin.qq.com/send?key=693a91f6", "https://a:b@c/d?e=fffff&g", "http://x/?a=%zz", "https://h/?k=v=w;q"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := duban.RedactURL(raw)
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return
		}
		if p, ok := u.User.Password(); ok && len(p) > 4 && strings.Contains(got, p) {
			t.Errorf("RedactURL(%q) = %q shows the password", raw, got)
		}
		for _, kv := range strings.Split(u.RawQuery, "&") {
			if _, v, _ := strings.Cut(kv, "="); len(v) > 8 && strings.Contains(got, v) {
				t.Errorf("RedactURL(%q) = %q shows %q", raw, got, v)
			}
		}
	})
}

func TestChannelValidate(t *testing.T) {
	hook := func(f func(c *duban.Channel)) *duban.Channel {
		c := &duban.Channel{Name: "接口", Kind: duban.ChannelWebhook, URL: "https://10.1.2.3/hook", Secret: duban.NewWebhookSecret()}
		f(c)
		return c
	}
	mail := func(f func(c *duban.Channel)) *duban.Channel {
		c := &duban.Channel{Name: "邮件", Kind: duban.ChannelEmail, SMTPAddr: "mail.lixia.gov.cn:587", Username: "duban", Secret: "pw",
			From: "督查室 <duban@lixia.gov.cn>", To: []string{"czj@lixia.gov.cn"}}
		f(c)
		return c
	}
	for _, c := range []struct {
		name string
		c    *duban.Channel
		ok   bool
	}{
		{"webhook", hook(func(*duban.Channel) {}), true},
		{"robot on http", &duban.Channel{Name: "群", Kind: duban.ChannelWeCom, URL: "http://proxy.gov.cn:8080/cgi-bin/webhook/send?key=1"}, true},
		{"mail", mail(func(*duban.Channel) {}), true},
		{"mail without sign-in", mail(func(c *duban.Channel) { c.Username, c.Secret = "", "" }), true},
		{"no name", hook(func(c *duban.Channel) { c.Name = " " }), false},
		{"unknown kind", hook(func(c *duban.Channel) { c.Kind = "sms" }), false},
		{"ftp", hook(func(c *duban.Channel) { c.URL = "ftp://10.1.2.3/hook" }), false},
		{"javascript", hook(func(c *duban.Channel) { c.URL = "javascript:alert(1)" }), false},
		{"no host", hook(func(c *duban.Channel) { c.URL = "https:///hook" }), false},
		{"password in address", hook(func(c *duban.Channel) { c.URL = "https://a:b@10.1.2.3/hook" }), false},
		{"bad port", hook(func(c *duban.Channel) { c.URL = "https://10.1.2.3:99999/hook" }), false},
		{"redacted address", hook(func(c *duban.Channel) { c.URL = "https://h/send?key=693a******" }), false},
		{"bad whsec", hook(func(c *duban.Channel) { c.Secret = "whsec_###" }), false},
		{"secret with newline", hook(func(c *duban.Channel) { c.Secret = "a\nb" }), false},
		{"webhook with mail fields", hook(func(c *duban.Channel) { c.To = []string{"a@b.cn"} }), false},
		{"smtp without port", mail(func(c *duban.Channel) { c.SMTPAddr = "mail.lixia.gov.cn" }), false},
		{"smtp port 0", mail(func(c *duban.Channel) { c.SMTPAddr = "mail.lixia.gov.cn:0" }), false},
		{"smtp url", mail(func(c *duban.Channel) { c.SMTPAddr = "smtp://mail.lixia.gov.cn:25" }), false},
		{"bad from", mail(func(c *duban.Channel) { c.From = "督查室" }), false},
		{"no recipient", mail(func(c *duban.Channel) { c.To = nil }), false},
		{"bad recipient", mail(func(c *duban.Channel) { c.To = []string{"czj@lixia.gov.cn", "财政局"} }), false},
		{"user without password", mail(func(c *duban.Channel) { c.Secret = "" }), false},
		{"mail with a URL", mail(func(c *duban.Channel) { c.URL = "https://x" }), false},
	} {
		err := c.c.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%s: got %v, want ok %v", c.name, err, c.ok)
		}
		if err != nil && (duban.ErrorCode(err) != duban.EINVALID || strings.Contains(duban.ErrorMessage(err), "******") && c.name != "redacted address") {
			t.Errorf("%s: got %v, want an invalid-input message", c.name, err)
		}
	}
}

func TestChannelMatchesAndUpdate(t *testing.T) {
	c := &duban.Channel{UnitID: 5, Secret: "old", HasSecret: true}
	for _, m := range []struct {
		unit, plan int64
		want       bool
	}{{5, 1, true}, {5, 0, true}, {6, 1, false}, {0, 0, false}} {
		if got := c.Matches(m.unit, m.plan); got != m.want {
			t.Errorf("unit channel matches unit %d plan %d: got %v", m.unit, m.plan, got)
		}
	}
	empty := duban.Secret("")
	duban.ChannelUpdate{Secret: &empty}.Apply(c)
	if c.Secret != "old" {
		t.Errorf("an empty secret from a form: got %q, want the old one kept", c.Secret.Reveal())
	}
	duban.ChannelUpdate{ClearSecret: true}.Apply(c)
	if c.Secret != "" || c.HasSecret {
		t.Errorf("cleared: got %q, %v", c.Secret.Reveal(), c.HasSecret)
	}
	to, name, enabled := []string{" a@b.cn "}, " 新名 ", true
	duban.ChannelUpdate{Name: &name, To: &to, Enabled: &enabled}.Apply(c)
	if c.Name != "新名" || c.To[0] != " a@b.cn " || !c.Enabled {
		t.Errorf("update: got %+v", c)
	}
}

func TestDeliveryValidate(t *testing.T) {
	ok := func() *duban.Delivery {
		return &duban.Delivery{ChannelID: 1, Key: "remind/3/17/d-5/wecom/4/2022-07-20", Event: "reminder", Subject: "提醒", Body: "请报送。"}
	}
	if err := ok().Validate(); err != nil {
		t.Errorf("a reminder: %v", err)
	}
	for name, f := range map[string]func(d *duban.Delivery){
		"no channel":       func(d *duban.Delivery) { d.ChannelID = 0 },
		"no key":           func(d *duban.Delivery) { d.Key = "" },
		"long key":         func(d *duban.Delivery) { d.Key = strings.Repeat("k", 201) },
		"event":            func(d *duban.Delivery) { d.Event = "Reminder!" },
		"no subject":       func(d *duban.Delivery) { d.Subject = "" },
		"subject newline":  func(d *duban.Delivery) { d.Subject = "a\r\nBcc: x@y" },
		"long body":        func(d *duban.Delivery) { d.Body = strings.Repeat("字", 7000) },
		"invalid utf-8":    func(d *duban.Delivery) { d.Body = "\xff" },
		"link not http":    func(d *duban.Delivery) { d.Link = "javascript:alert(1)" },
		"negative unit id": func(d *duban.Delivery) { d.UnitID = -1 },
	} {
		d := ok()
		f(d)
		if err := d.Validate(); duban.ErrorCode(err) != duban.EINVALID {
			t.Errorf("%s: got %v, want invalid", name, err)
		}
	}
}
