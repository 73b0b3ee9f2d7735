package vendorerr

// Vendor is what one vendor's errors share. Each provider package declares
// one and makes every *Error with it.
type Vendor struct {
	// Name is the vendor as error types spell it, e.g. "oci".
	Name string
	// RequestIDLabel is what the vendor calls its request id; empty means
	// "request id".
	RequestIDLabel string
	// Classify judges an answer; nil means ByStatus. This is where a
	// vendor's quirks live (a throttle code under a 400, a 409 that is
	// only a resource busy for a moment).
	Classify func(Answer) Class
	// Hint says what a person should do about an answer no retry fixes,
	// where the vendor knows better than a generic reading of the status
	// (OCI's 404 that is also "no policy lets you see it"); "" for none.
	// nil means the vendor has no hints of its own.
	Hint func(Answer) string
}

// Error makes the *Error of answer a, classified by the vendor.
func (v Vendor) Error(a Answer) *Error {
	label := v.RequestIDLabel
	if label == "" {
		label = "request id"
	}
	class := ByStatus(a.StatusCode)
	if v.Classify != nil {
		class = v.Classify(a)
	}
	var hint string
	if v.Hint != nil {
		hint = v.Hint(a)
	}
	return &Error{Answer: a, Vendor: v.Name, RequestIDLabel: label, Class: class, Hint: hint}
}
