package zstacksim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

const updateImageMsg = "org.zstack.header.image.APIUpdateImageMsg"

// updateFields is APIUpdateImageMsg: nil means "leave unchanged".
type updateFields struct {
	name, description, guestOSType, mediaType, format, platform, architecture *string
	system, virtio                                                            *bool
	systemTags, userTags                                                      []string
}

// stringParam is one string field of APIUpdateImageMsg and its @APIParam.
type stringParam struct {
	name      string
	maxLength int // 0: none
	valid     []string
	dst       func(*updateFields) **string
}

var stringParams = []stringParam{
	{"name", 255, nil, func(f *updateFields) **string { return &f.name }},
	{"description", 2048, nil, func(f *updateFields) **string { return &f.description }},
	{"guestOsType", 255, nil, func(f *updateFields) **string { return &f.guestOSType }},
	{"mediaType", 255, []string{"RootVolumeTemplate", "DataVolumeTemplate", "ISO"}, func(f *updateFields) **string { return &f.mediaType }},
	{"format", 255, []string{"raw", "qcow2", "iso"}, func(f *updateFields) **string { return &f.format }},
	{"platform", 0, []string{"Linux", "Windows", "Other", "Paravirtualization", "WindowsVirtio"}, func(f *updateFields) **string { return &f.platform }},
	{"architecture", 32, []string{"x86_64", "aarch64", "mips64el", "loongarch64"}, func(f *updateFields) **string { return &f.architecture }},
}

// parseUpdateFields reads the action object, and the tags from the body's top
// level where RestServer takes them (overriding any inside the action). Only
// type errors are found here, by RestServer's TypeVerifier, as a 400; the
// rest is validated later, by the API mediator.
func parseUpdateFields(params, body map[string]any) (updateFields, *reply) {
	var f updateFields
	for _, p := range stringParams {
		v, ok := params[p.name]
		if !ok || v == nil {
			continue
		}
		var str string
		switch x := v.(type) {
		case string:
			str = x
		case json.Number: // Gson reads a number into a String field as its text
			str = x.String()
		case bool:
			str = strconv.FormatBool(x)
		default:
			// Unverified: the exact text; Gson refuses an object or array for
			// a String field and RestServer answers its exception with 500.
			rep := textReply(http.StatusInternalServerError,
				"com.google.gson.JsonSyntaxException: java.lang.IllegalStateException: Expected a string but was %s at path $.%s",
				jsonKindOf(v), p.name)
			return f, &rep
		}
		*p.dst(&f) = &str
	}
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"system", &f.system}, {"virtio", &f.virtio}} {
		name, dst := b.name, b.dst
		v, ok := params[name]
		if !ok || v == nil {
			continue
		}
		b, bad := parseBool(name, v)
		if bad != nil {
			return f, bad
		}
		*dst = &b
	}
	var bad *reply
	if f.systemTags, bad = tags("systemTags", params, body); bad != nil {
		return f, bad
	}
	if f.userTags, bad = tags("userTags", params, body); bad != nil {
		return f, bad
	}
	return f, nil
}

// jsonKindOf names a decoded JSON value the way Gson's reader does.
func jsonKindOf(v any) string {
	if _, ok := v.([]any); ok {
		return "BEGIN_ARRAY"
	}
	return "BEGIN_OBJECT"
}

func parseBool(name string, v any) (bool, *reply) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		if strings.EqualFold(b, "true") || strings.EqualFold(b, "false") {
			return strings.EqualFold(b, "true"), nil
		}
	}
	rep := textReply(http.StatusBadRequest, "Invalid value for boolean field [%s], [%v] is not a valid boolean string[true, false].", name, v)
	return false, &rep
}

// tags reads a list of tag strings. Unverified: the text ZStack answers for
// a tag list of the wrong type; the emulator's is its own.
func tags(key string, params, body map[string]any) ([]string, *reply) {
	v, ok := body[key]
	if !ok {
		v, ok = params[key]
	}
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		rep := textReply(http.StatusBadRequest, "field[%s] must be a list of strings", key)
		return nil, &rep
	}
	out := make([]string, 0, len(list))
	for _, t := range list {
		s, ok := t.(string)
		if !ok {
			rep := textReply(http.StatusBadRequest, "field[%s] must be a list of strings", key)
			return nil, &rep
		}
		out = append(out, s)
	}
	return out, nil
}

// validate is ApiMessageParamValidator over APIUpdateImageMsg's @APIParams.
func (f *updateFields) validate() *ErrorCode {
	for _, p := range stringParams {
		v := *p.dst(f)
		if v == nil {
			continue
		}
		if n := javaLength(*v); p.maxLength > 0 && n > p.maxLength {
			return newErrorCode(CodeInvalidArgument,
				"field[%s] of message[%s] exceeds max length of string. expected was <= %d, actual was %d",
				p.name, updateImageMsg, p.maxLength, n)
		}
		if p.valid != nil && !slices.Contains(p.valid, *v) {
			return newErrorCode(CodeInvalidArgument, "valid value for field[%s] of message[%s] are [%s], but %s found",
				p.name, updateImageMsg, strings.Join(p.valid, ", "), *v)
		}
	}
	return nil
}

// javaLength is Java's String.length(): UTF-16 code units.
func javaLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// apply writes the fields sent into img and reports whether any were sent.
func (f *updateFields) apply(img *Image) bool {
	changed := false
	set := func(dst *string, v *string) {
		if v != nil {
			*dst, changed = *v, true
		}
	}
	set(&img.Name, f.name)
	set(&img.Description, f.description)
	set(&img.GuestOSType, f.guestOSType)
	set(&img.MediaType, f.mediaType)
	set(&img.Format, f.format)
	set(&img.Platform, f.platform)
	set(&img.Architecture, f.architecture)
	if f.system != nil {
		img.System, changed = *f.system, true
	}
	if f.virtio != nil {
		img.Virtio, changed = *f.virtio, true
	}
	return changed
}
