package pipeline

// ActionZStackUpdateImage updates a ZStack image's attributes.
const ActionZStackUpdateImage = "zstack.update_image"

// ZStackUpdateImageInput is what zstack.update_image takes; attributes left
// out (nil) are unchanged.
type ZStackUpdateImageInput struct {
	ImageUUID    string   `json:"image_uuid" required:"true" doc:"UUID of the image"`
	Name         *string  `json:"name" doc:"new name"`
	Description  *string  `json:"description" doc:"new description"`
	GuestOSType  *string  `json:"guest_os_type" doc:"new guest OS type"`
	Platform     *string  `json:"platform" doc:"new platform, e.g. Linux"`
	Architecture *string  `json:"architecture" doc:"new architecture, e.g. x86_64"`
	SystemTags   []string `json:"system_tags" doc:"system tags to set"`
	UserTags     []string `json:"user_tags" doc:"user tags to set"`
}

// ZStackUpdateImageOutput is the image and its name after the update.
type ZStackUpdateImageOutput struct {
	ImageUUID string `json:"image_uuid"`
	Name      string `json:"name"`
}

// ZStackUpdateImage declares ZStack's action.
var ZStackUpdateImage = Declare[ZStackUpdateImageInput, ZStackUpdateImageOutput](Action{
	Name:   ActionZStackUpdateImage,
	Vendor: "zstack", API: "ZStack Cloud",
	Doc:     "Update an image's attributes (PUT /zstack/v1/images/{uuid}/actions, updateImage) and wait for the API job. Attributes left out are unchanged.",
	Inverse: "restores the attributes the image had before the update",
}, map[string]*Rule{
	"name": zstackName, "description": zstackDescription, "guest_os_type": zstackGuestOSType,
	"platform": zstackPlatform, "architecture": zstackArchitecture,
})

// ZStack APIUpdateImageMsg's @APIParams: lengths in Java characters.
var (
	zstackName        = &Rule{Vendor: "ZStack", Field: "image names", MaxLen: 255, UTF16: true, Example: "gold-centos"}
	zstackDescription = &Rule{Vendor: "ZStack", Field: "image descriptions", MaxLen: 2048, UTF16: true, Example: "Gold image"}
	zstackGuestOSType = &Rule{Vendor: "ZStack", Field: "guest OS types", MaxLen: 255, UTF16: true, Example: "CentOS 7"}
	zstackPlatform    = &Rule{Vendor: "ZStack", Field: "platforms", Example: "Linux",
		OneOf: []string{"Linux", "Windows", "Other", "Paravirtualization", "WindowsVirtio"}}
	// Unverified: the architectures of ZStack 4.x and later (older
	// releases lack loongarch64).
	zstackArchitecture = &Rule{Vendor: "ZStack", Field: "architectures", MaxLen: 32, Example: "x86_64",
		OneOf: []string{"x86_64", "aarch64", "mips64el", "loongarch64"}}
)
