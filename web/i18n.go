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

	// A task.
	"任务 %s": "Task %s",
	"已撤销":   "Withdrawn",
	"通知原文":  "In the notice",
	"摘自 %s": "From %s",
	"这项任务由督办室新增，不在通知原文中。":         "The office added this task; it is not in the notice.",
	"这个计划是从读取结果（JSON）导入的，没有通知原文。": "This plan was imported from a reading (JSON); there is no notice to show.",
	"无法显示通知原文：%s":                 "The notice cannot be shown: %s",
	"在通知原文中找不到这项任务的位置。":           "The task's place in the notice was not found.",
	"意见":            "Comments",
	"还没有意见。":        "No comments yet.",
	"发表意见":          "Add a comment",
	"发表":            "Post",
	"意见已发表。":        "Your comment is posted.",
	"变更记录":          "History",
	"没有变更记录。":       "No changes.",
	"创建于 %s，更新于 %s": "Created %s, updated %s",

	// Units and leaders.
	"又称":            "also ",
	"该单位已并入":        "This unit was merged into",
	"牵头的任务（%d 项）":   "Tasks it leads (%d)",
	"参与的任务（%d 项）":   "Tasks it shares (%d)",
	"名称沿革":          "Names",
	"以“%s”名称录入":     "Entered as “%s”",
	"由“%s”更名为“%s”":  "Renamed from “%s” to “%s”",
	"增加别名“%s”":      "Alias “%s” added",
	"“%s”并入本单位":     "“%s” merged into it",
	"并入“%s”":        "Merged into “%s”",
	"在台账中查看全部 %d 项": "All %d in the ledger",
	"没有任务。":         "No tasks.",
	"没有符合条件的记录。":    "Nothing matches.",
	"共 %d 个":        "%d in all",
	"共 %d 位":        "%d in all",
	"类型":            "Kind",
	"全部类型":          "All kinds",
	"名称":            "Name",
	"部门":            "Department",
	"街道":            "Street office",
	"企业":            "Company",
	"统称":            "Group term",

	// Plans.
	"共 %d 个计划":      "%d plans",
	"导入通知":          "Import a notice",
	"导入分解通知":        "Import a decomposition notice",
	"还没有计划。":        "No plans yet.",
	"状态":            "State",
	"待处理表述":         "Open statements",
	"通知版次":          "Issues",
	"文号":            "Document number",
	"发文单位":          "Issued by",
	"成文日期":          "Dated",
	"%d 项":          "%d",
	"，其中 %d 项有量化指标": ", %d with targets",
	"%d 个":          "%d",
	"通知版本":          "Issue",
	"第 %d 版":        "Issue %d",
	"发布时间":          "Published",
	"行动与重点领域":       "Actions and focus areas",
	"读取提示":          "Reader's warnings",
	"第 %d 行":        "Line %d",

	// Accounts.
	"新建账号": "New account",
	"姓名":   "Name",
	"角色":   "Role",
	"绑定":   "Bound to",
	"正常":   "Active",
	"已停用":  "Disabled",
	"2 到 64 个字母、数字、点、下划线或连字符": "2 to 64 letters, digits, dots, underscores or hyphens",
	"初始密码":         "First password",
	"留空则随机生成":      "Leave empty for a random one",
	"新建":           "Create",
	"所属单位（单位联络员）":  "Unit (for a unit clerk)",
	"对应领导（领导账号）":   "Leader (for a leader's account)",
	"角色与绑定":        "Role and binding",
	"停用（立即退出所有登录）": "Disabled (signs out everywhere at once)",
	"保存":           "Save",
	"重置密码":         "Reset the password",
	"新密码":          "New password",
	"重置密码会让该账号退出所有登录。继续吗？": "Resetting the password signs the account out everywhere. Go on?",
	"API 令牌": "API tokens",
	"脚本用令牌以这个账号的身份调用接口（/api/v1/），权限与账号相同。": "A script uses a token to call the API (/api/v1/) as this account, with its permissions.",
	"前缀":   "Prefix",
	"创建":   "Created",
	"最近使用": "Last used",
	"吊销":   "Revoke",
	"吊销后使用该令牌的脚本将无法访问。继续吗？": "Scripts using this token will be refused. Go on?",
	"已于 %s 吊销":   "Revoked %s",
	"令牌名称":       "Token name",
	"如：月报导出脚本":   "such as: monthly export script",
	"创建令牌":       "Create a token",
	"我已记下，继续":    "I have noted it down; go on",
	"账号已创建":      "Account created",
	"账号 %s 已创建。": "Account %s created.",
	"账号 %s 已创建。初始密码如下，只显示这一次：请转交本人。": "Account %s created. Its first password, shown this once, is below: hand it to its owner.",
	"账号 %s 已保存。": "Account %s saved.",
	"密码已重置":      "Password reset",
	"密码已重置，该账号的所有登录已退出。":              "The password is reset; the account is signed out everywhere.",
	"新密码如下，只显示这一次：请转交本人。该账号的所有登录已退出。": "The new password, shown this once, is below: hand it to its owner. The account is signed out everywhere.",
	"API 令牌已创建": "API token created",
	"令牌“%s”如下，只显示这一次：请复制到脚本的配置中，请求时放在“Authorization: Bearer 令牌”头里。": "Token “%s”, shown this once, is below: copy it into the script's settings and send it as “Authorization: Bearer <token>”.",
	"令牌“%s”已吊销。": "Token “%s” revoked.",

	// Sign-in.
	"登录名":         "User name",
	"密码":          "Password",
	"请登录后使用督办台账。": "Sign in to use the supervision ledger.",
	"已退出登录。":      "You have signed out.",
}
