package workflows

// Vendors is the default vendor list: every vendor this build of imagepipe
// calls, each contributed whole by its own file (steps_<vendor>.go). Adding
// a vendor is one entry here; a test or another build passes a list of its
// own to NewRegistry instead.
func Vendors() []Vendor {
	return []Vendor{OCIVendor(), FPPVendor(), HuaweiVendor(), ZStackVendor()}
}
