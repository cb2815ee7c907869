package web

import "fmt"

// translator puts the interface's messages into one language. The messages
// are written in Chinese, the product's language, and the Chinese is the
// key: a page reads as it will show, and a message the catalog lacks still
// shows, in Chinese. Messages from the domain (error messages, role and
// state labels) are translated when the catalog has them and shown in
// Chinese otherwise.
type translator struct{ lang string }

// T returns msg in the translator's language, with args filling its verbs.
func (t translator) T(msg string, args ...any) string {
	if t.lang == "en" {
		if en, ok := english[msg]; ok {
			msg = en
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

func (st *requestState) translator() translator { return translator{lang: st.lang} }

// english is the message catalog: every message of the interface, in
// Chinese, with its English. A test checks that each message the templates
// and handlers use is here.
var english = map[string]string{
	// Layout and navigation.
	"督办":      "Duban",
	"督查督办台账":  "Supervision ledger",
	"台账":      "Ledger",
	"计划":      "Plans",
	"单位":      "Units",
	"领导":      "Leaders",
	"账号":      "Accounts",
	"登录":      "Sign in",
	"退出":      "Sign out",
	"English": "中文",
	"主导航":     "Main navigation",
	"跳到正文":    "Skip to content",

	// Roles and states.
	"督办室管理员": "Office administrator",
	"单位联络员":  "Unit clerk",
	"查看者":    "Viewer",
	"草稿":     "Draft",
	"已发布":    "Published",
	"已归档":    "Archived",

	// Errors.
	"出错了":     "Something went wrong",
	"返回":      "Back",
	"错误代码 %d": "Error %d",

	// Lists.
	"分页":          "Pages",
	"上一页":         "Previous",
	"下一页":         "Next",
	"第 %d / %d 页": "Page %d of %d",

	// The ledger.
	"共 %d 项任务": "%d tasks",
	"全部计划":     "All plans",
	"年度":       "Year",
	"全部年度":     "All years",
	"行动":       "Action",
	"全部行动":     "All actions",
	"领域":       "Area",
	"全部领域":     "All areas",
	"牵头领导":     "Lead leader",
	"全部领导":     "All leaders",
	"全部单位":     "All units",
	"承担方式":     "Part",
	"牵头和参与":    "Leads or shares",
	"牵头":       "Leads",
	"参与":       "Shares",
	"全部 %d":    "All %d",
	"牵头 %d":    "Leads %d",
	"参与 %d":    "Shares %d",
	"量化指标":     "Targets",
	"不限":       "Any",
	"有指标":      "With targets",
	"无指标":      "Without targets",
	"关键词":      "Keyword",
	"在任务内容中查找": "Search the tasks' text",
	"筛选":       "Filter",
	"清除":       "Clear",
	"编号":       "No.",
	"任务":       "Task",
	"牵头单位":     "Lead units",
	"责任单位":     "Responsible units",
	"完成时限":     "Deadline",
	"更新":       "Updated",
	"%d 个指标":   "%d targets",
	"没有符合条件的任务：请放宽筛选条件。": "No task matches: widen the filter.",

	// Sign-in.
	"登录名":         "User name",
	"密码":          "Password",
	"请登录后使用督办台账。": "Sign in to use the supervision ledger.",
	"已退出登录。":      "You have signed out.",
}
