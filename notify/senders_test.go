package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/notify/notifytest"
)

const (
	hookSecret     = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	wecomKey       = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	dingtalkToken  = "a1b2c3d4e5"
	dingtalkSecret = "SEC1f6d1e5b8d5b7c0a3c1e6f0b5a0d7e2f3c4b5a69788796a5b4c3d2e1f0a9b8"
)

var sample = &notify.Message{
	ID: "msg_17", Event: "reminder", Key: "reminder:17:2022-07-20",
	Subject: "【督办提醒】7 月进展情况请于 7 月 25 日前报送",
	Body:    "区财政局：\n任务 1.2.3“优化营商环境”的 7 月进展情况尚未报送，请于 2022 年 7 月 25 日前登录督办系统报送。",
	Link:    "https://duban.lixia.gov.cn/todo",
}

// wantFailure checks that err is a Failure, retryable or not, whose reason
// says what.
func wantFailure(t *testing.T, what string, err error, retry bool, says string) *notify.Failure {
	t.Helper()
	var f *notify.Failure
	if !errors.As(err, &f) {
		t.Fatalf("%s: got %v, want a failure", what, err)
	}
	if f.Retry != retry || !strings.Contains(f.Reason, says) {
		t.Errorf("%s: got retry %v, reason %q; want retry %v, a reason saying %q", what, f.Retry, f.Reason, retry, says)
	}
	return f
}

func TestWebhook(t *testing.T) {
	clk := newClock()
	s := &notify.Senders{Now: clk.Now, Timeout: 2 * time.Second}
	hook := notifytest.WebhookReceiver(t, clk.Now, hookSecret)
	ch := &duban.Channel{ID: 1, Name: "接口", Kind: duban.ChannelWebhook, URL: hook.URL + "/hooks/duban", Secret: hookSecret, Enabled: true}
	if err := s.Send(context.Background(), ch, sample); err != nil {
		t.Fatal(err)
	}
	got := hook.Received()
	if len(got) != 1 || got[0].ID != "msg_17" || got[0].Subject != sample.Subject || got[0].Body != sample.Body {
		t.Errorf("received %+v, want the sample", got)
	}

	wrong := *ch
	wrong.Secret = duban.NewWebhookSecret()
	wantFailure(t, "wrong secret", s.Send(context.Background(), &wrong, sample), false, "签名错误")

	stale := &notify.Senders{Now: func() time.Time { return clk.Now().Add(-time.Hour) }}
	wantFailure(t, "an hour slow", stale.Send(context.Background(), ch, sample), false, "HTTP 400")

	hook.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, "oops", http.StatusBadGateway)
		return true
	})
	wantFailure(t, "502", s.Send(context.Background(), ch, sample), true, "对方服务器出错（HTTP 502）")

	hook.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	})
	f := wantFailure(t, "429", s.Send(context.Background(), ch, sample), true, "被限流")
	if f.After != 2*time.Minute {
		t.Errorf("429 with Retry-After 120: got after %v, want 2m", f.After)
	}

	hook.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		http.Redirect(w, r, "https://elsewhere.example/?token=abcdefgh", http.StatusFound)
		return true
	})
	f = wantFailure(t, "redirect", s.Send(context.Background(), ch, sample), false, "跳转")
	if strings.Contains(f.Reason, "abcdefgh") {
		t.Errorf("the reason shows a key of the redirect's address: %q", f.Reason)
	}

	hook.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool { w.WriteHeader(http.StatusNotFound); return true })
	wantFailure(t, "404", s.Send(context.Background(), ch, sample), false, "地址不存在")

	// A receiver that does not answer in time.
	release := make(chan struct{})
	hook.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return true
	})
	quick := &notify.Senders{Now: clk.Now, Timeout: 200 * time.Millisecond}
	wantFailure(t, "timeout", quick.Send(context.Background(), ch, sample), true, "超时")
	close(release)

	// Nobody listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	gone := *ch
	gone.URL = "http://" + ln.Addr().String() + "/hook"
	wantFailure(t, "refused", s.Send(context.Background(), &gone, sample), true, "地址无法连接")

	unsigned := *ch
	unsigned.Secret = ""
	wantFailure(t, "no secret", s.Send(context.Background(), &unsigned, sample), false, "未设置密钥")
}

func TestWebhookSignature(t *testing.T) {
	// The example of the Standard Webhooks specification.
	key, err := duban.WebhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := notify.SignWebhook(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature: got %s, want %s", got, want)
	}
}

func TestWeCom(t *testing.T) {
	clk := newClock()
	s := &notify.Senders{Now: clk.Now}
	robot := notifytest.WeComRobot(t, clk.Now, wecomKey)
	ch := &duban.Channel{ID: 2, Name: "区财政局工作群", Kind: duban.ChannelWeCom, URL: robot.URL + "/cgi-bin/webhook/send?key=" + wecomKey, Enabled: true}
	if err := s.Send(context.Background(), ch, sample); err != nil {
		t.Fatal(err)
	}
	got := robot.Received()
	if len(got) != 1 || got[0].Subject != sample.Subject || !strings.Contains(got[0].Body, "请于 2022 年 7 月 25 日前登录督办系统报送") ||
		!strings.Contains(got[0].Body, "("+sample.Link+")") {
		t.Errorf("received %+v", got)
	}

	// A message over 4096 bytes is cut on a character, with a note.
	long := *sample
	long.Body = strings.Repeat("进展情况：按序时推进。", 400)
	if err := s.Send(context.Background(), ch, &long); err != nil {
		t.Fatal(err)
	}
	got = robot.Received()
	content := got[len(got)-1].Body
	if len(content) > 4096 || !utf8.ValidString(content) || !strings.HasSuffix(content, "请登录督办系统查看全文）") {
		t.Errorf("long message: %d bytes, valid %v, ends %q", len(content), utf8.ValidString(content), content[len(content)-60:])
	}

	wrong := *ch
	wrong.URL = robot.URL + "/cgi-bin/webhook/send?key=not-the-key"
	wantFailure(t, "wrong key", s.Send(context.Background(), &wrong, sample), false, "key 无效")

	robot.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		notifytest.RobotAnswer(w, 45009, "api freq out of limit")
		return true
	})
	f := wantFailure(t, "throttled", s.Send(context.Background(), ch, sample), true, "被限流")
	if f.After < time.Minute {
		t.Errorf("throttled: got after %v, want at least a minute", f.After)
	}
	robot.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		io.WriteString(w, "<html>登录页</html>")
		return true
	})
	wantFailure(t, "not a robot", s.Send(context.Background(), ch, sample), false, "应答无法识别")
	robot.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, "", http.StatusInternalServerError)
		return true
	})
	wantFailure(t, "500", s.Send(context.Background(), ch, sample), true, "HTTP 500")
}

func TestDingTalk(t *testing.T) {
	clk := newClock()
	s := &notify.Senders{Now: clk.Now}
	robot := notifytest.DingTalkRobot(t, clk.Now, dingtalkToken, dingtalkSecret)
	ch := &duban.Channel{ID: 3, Name: "督查室钉钉群", Kind: duban.ChannelDingTalk, URL: robot.URL + "/robot/send?access_token=" + dingtalkToken,
		Secret: dingtalkSecret, Enabled: true}
	if err := s.Send(context.Background(), ch, sample); err != nil {
		t.Fatal(err)
	}
	got := robot.Received()
	if len(got) != 1 || got[0].Subject != sample.Subject || !strings.Contains(got[0].Body, "### "+sample.Subject) ||
		!strings.Contains(got[0].Body, "区财政局：\n\n任务 1.2.3") {
		t.Errorf("received %+v", got)
	}

	wrong := *ch
	wrong.Secret = "SEC0000"
	wantFailure(t, "wrong secret", s.Send(context.Background(), &wrong, sample), false, "签名错误")
	slow := &notify.Senders{Now: func() time.Time { return clk.Now().Add(-2 * time.Hour) }}
	wantFailure(t, "clock two hours slow", slow.Send(context.Background(), ch, sample), false, "本机时间")
	token := *ch
	token.URL = robot.URL + "/robot/send?access_token=other"
	wantFailure(t, "wrong token", s.Send(context.Background(), &token, sample), false, "access_token 无效")

	robot.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		notifytest.RobotAnswer(w, 130101, "send too fast, exceed 20 times per minute")
		return true
	})
	f := wantFailure(t, "throttled", s.Send(context.Background(), ch, sample), true, "被限流")
	if f.After < 10*time.Minute {
		t.Errorf("throttled: got after %v, want at least ten minutes", f.After)
	}
	robot.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
		notifytest.RobotAnswer(w, 310000, "keywords not in content")
		return true
	})
	wantFailure(t, "keyword", s.Send(context.Background(), ch, sample), false, "关键词")
}

func TestDingTalkSign(t *testing.T) {
	// Computed apart with Python's hmac, hashlib.sha256 and base64, as
	// DingTalk's documentation does it.
	if got, want := notify.SignDingTalk("SECtest", 1577808000000), "XHi7WpB+bLwQq5Rz0PrkJ6p9pXsd593WTWgii6qJ3uw="; got != want {
		t.Errorf("sign: got %s, want %s", got, want)
	}
}

// mailChannel is a channel to the test mail server.
func mailChannel(addr string) *duban.Channel {
	return &duban.Channel{ID: 4, Name: "区财政局邮箱", Kind: duban.ChannelEmail, SMTPAddr: addr, Username: "duban@lixia.gov.cn",
		Secret: "授权码-1234", From: "历下区督查室 <duban@lixia.gov.cn>", To: []string{"区财政局 <czj@lixia.gov.cn>", "zhangsan@lixia.gov.cn"}, Enabled: true}
}

func TestMail(t *testing.T) {
	clk := newClock()
	server, pool := notifytest.NewMailServer(t, "duban@lixia.gov.cn", "授权码-1234")
	s := &notify.Senders{Now: clk.Now, RootCAs: pool, Timeout: 5 * time.Second}
	ch := mailChannel(server.Addr())
	if err := s.Send(context.Background(), ch, sample); err != nil {
		t.Fatal(err)
	}
	mails := server.Received()
	if len(mails) != 1 {
		t.Fatalf("got %d mails, want 1", len(mails))
	}
	in := mails[0]
	if in.From != "duban@lixia.gov.cn" || strings.Join(in.To, " ") != "czj@lixia.gov.cn zhangsan@lixia.gov.cn" {
		t.Errorf("envelope: from %s to %v", in.From, in.To)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(in.Data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != sample.Subject {
		t.Errorf("subject: got %q (%v), want %q; raw %q", subject, err, sample.Subject, msg.Header.Get("Subject"))
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "历下区督查室" {
		t.Errorf("From: got %v (%v)", from, err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != "区财政局" {
		t.Errorf("To: got %v (%v)", to, err)
	}
	if ct, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); ct != "text/plain" || strings.ToUpper(params["charset"]) != "UTF-8" ||
		msg.Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("content type %q, encoding %q", msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"))
	}
	if date, err := msg.Header.Date(); err != nil || !date.Equal(clk.Now()) {
		t.Errorf("Date: got %v (%v), want %v", date, err, clk.Now())
	}
	raw, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if want := sample.Body + "\n\n打开督办系统查看：" + sample.Link + "\n"; body != want {
		t.Errorf("body: got %q, want %q", body, want)
	}

	// A long subject stays within the line limit and reads back whole.
	long := *sample
	long.Subject = strings.Repeat("关于报送进展情况的提醒", 18)
	if err := s.Send(context.Background(), ch, &long); err != nil {
		t.Fatal(err)
	}
	data := server.Received()[1].Data
	for _, line := range strings.Split(string(data), "\n") {
		if len(line) > 998 {
			t.Errorf("a line of %d bytes", len(line))
		}
	}
	msg, _ = mail.ReadMessage(bytes.NewReader(data))
	if got, _ := dec.DecodeHeader(msg.Header.Get("Subject")); got != long.Subject {
		t.Errorf("long subject: got %q", got)
	}
}

func TestMailFailures(t *testing.T) {
	clk := newClock()
	server, pool := notifytest.NewMailServer(t, "duban@lixia.gov.cn", "授权码-1234")
	s := &notify.Senders{Now: clk.Now, RootCAs: pool, Timeout: 5 * time.Second}
	ch := mailChannel(server.Addr())

	wrong := *ch
	wrong.Secret = "错误的密码"
	wantFailure(t, "wrong password", s.Send(context.Background(), &wrong, sample), false, "用户名或密码")

	untrusted := &notify.Senders{Now: clk.Now, Timeout: 5 * time.Second}
	wantFailure(t, "certificate not trusted", untrusted.Send(context.Background(), ch, sample), false, "证书无法验证")

	server.Set(func(s *notifytest.MailServer) { s.Reject = "zhangsan@lixia.gov.cn" })
	wantFailure(t, "recipient refused", s.Send(context.Background(), ch, sample), false, "zhangsan@lixia.gov.cn")
	server.Set(func(s *notifytest.MailServer) { s.Reject = "" })

	server.Set(func(s *notifytest.MailServer) { s.Busy = true })
	wantFailure(t, "greylisted", s.Send(context.Background(), ch, sample), true, "暂时无法接收")
	server.Set(func(s *notifytest.MailServer) { s.Busy = false })

	server.Set(func(s *notifytest.MailServer) { s.NoTLS = true })
	wantFailure(t, "no STARTTLS", s.Send(context.Background(), ch, sample), false, "STARTTLS")
	server.Set(func(s *notifytest.MailServer) { s.NoTLS = false })

	if n := len(server.Received()); n != 0 {
		t.Errorf("got %d mails through failures, want 0", n)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	gone := *ch
	gone.SMTPAddr = ln.Addr().String()
	wantFailure(t, "nobody listening", s.Send(context.Background(), &gone, sample), true, "地址无法连接")

	// A server that accepts and says nothing.
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	go func() {
		for {
			c, err := mute.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	quiet := *ch
	quiet.SMTPAddr = mute.Addr().String()
	quick := &notify.Senders{Now: clk.Now, RootCAs: pool, Timeout: 300 * time.Millisecond}
	wantFailure(t, "mute server", quick.Send(context.Background(), &quiet, sample), true, "超时")
}
