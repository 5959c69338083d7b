build {
  sources = ["source.hcloud.main"]
  post-processor "manifest" {
    output = "manifest.json"
    strip_path=true
    custom_data = {
      snapshot = "${build.SnapshotID}"
      my_custom_data="example"
    }
  }
  post-processor "checksum" {
    checksum_types=["sha256","sha512"]
    output="packer_{{.BuildName}}_{{.ChecksumType}}.checksum"
  }
}
