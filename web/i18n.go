package web

import (
	"fmt"
	"net/http"
)

// Translator puts the interface's messages into one language. Messages are
// written in Chinese, which is also the catalog's key, so that a message
// the catalog lacks (a domain error, say) still shows, in Chinese. The
// catalog is the core's joined with the parts'.
type Translator struct {
	lang    string
	english map[string]string
}

// T returns msg in the translator's language, with args filling its verbs.
func (t Translator) T(msg string, args ...any) string {
	if t.lang == "en" {
		if en, ok := t.english[msg]; ok {
			msg = en
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Lang is the translator's language: "zh" or "en".
func (t Translator) Lang() string { return t.lang }

// Has reports whether the catalog has the English of msg.
func (t Translator) Has(msg string) bool {
	_, ok := t.english[msg]
	return ok
}

// Lang returns the translator of the language the request's user chose.
func Lang(r *http.Request) Translator { return state(r).translator() }

func (st *requestState) translator() Translator {
	return Translator{lang: st.lang, english: st.english}
}

// english is the core's message catalog: the layout's and the error
// page's messages and the roles the layout shows, with their English. A
// test checks that each message the core uses is here and each one here is
// used; the parts bring their own (Part.English).
var english = map[string]string{
	// Layout.
	"通知":            "Notifications",
	"通知（%d 条未读）":    "Notifications (%d unread)",
	"通知（超过 %d 条未读）": "Notifications (more than %d unread)",
	"督办":            "Duban",
	"督查督办台账":        "Supervision ledger",
	"退出":            "Sign out",
	"English":       "中文",
	"主导航":           "Main navigation",
	"跳到正文":          "Skip to content",
	"我的账号":          "My account",
	"打印日期 %s":       "Printed %s",
	"登录已恢复：您之前填写的内容已填回表单，请检查后重新提交。": "Signed in again: what you had typed is back in the form; check it and send it again.",

	// Roles.
	"督查室管理员": "Office administrator",
	"领导":     "Leaders",
	"单位联络员":  "Unit clerk",
	"查看者":    "Viewer",

	// Errors.
	"出错了":     "Something went wrong",
	"返回":      "Back",
	"错误代码 %d": "Error %d",
}
