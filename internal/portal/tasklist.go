package portal

import (
	"html/template"
	"strings"
)

// escaper escapes text for HTML element content and double-quoted attribute values.
var escaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

// taskListHTML renders the rows of a task list, each linking to taskPrefix and the task's
// ID. A project page can hold hundreds of
// tasks, and html/template's escaping of each value through reflection cost more than
// the rest of the page, so the list is written here with every value passed through
// escaper (element text and double-quoted attributes only). Keep it that way: no value
// may reach b without escape.
func taskListHTML(rows []taskRow, taskPrefix string) template.HTML {
	if len(rows) == 0 {
		return `<p class="empty">No tasks shared yet.</p>`
	}

	href := escaper.Replace(taskPrefix)
	var b strings.Builder
	b.Grow(len(rows) * (256 + len(href)))
	b.WriteString(`<ul class="tasks">`)
	for i := range rows {
		writeTaskRow(&b, &rows[i], href)
	}

	b.WriteString("\n</ul>")
	return template.HTML(b.String())
}

// writeTaskRow writes one row; href is the escaped address prefix of task pages.
func writeTaskRow(b *strings.Builder, r *taskRow, href string) {
	b.WriteString("\n<li class=\"task is-")
	escape(b, string(r.Status))
	b.WriteString(`"><a href="`)
	b.WriteString(href)
	escape(b, string(r.ID))
	b.WriteString(`">`)
	escape(b, r.Title)
	b.WriteString(`</a><span class="meta"><span class="status">`)
	escape(b, r.StatusLabel)
	b.WriteString(`</span>`)
	if r.Assignee != "" {
		b.WriteString(`<span class="who">for `)
		escape(b, r.Assignee)
		b.WriteString(`</span>`)
	}

	if r.Due != "" {
		b.WriteString(`<time datetime="`)
		escape(b, r.Due)
		b.WriteString(`"`)
		if r.Overdue {
			b.WriteString(` class="overdue"`)
		}

		b.WriteString(`>due `)
		escape(b, r.DueLabel)
		b.WriteString(`</time>`)
	}

	b.WriteString(`</span></li>`)
}

func escape(b *strings.Builder, s string) {
	_, _ = escaper.WriteString(b, s)
}
