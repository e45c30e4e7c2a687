resource "aws_launch_template" "gpu" {
  name_prefix = "gpu-"
  image_id    = data.aws_ami.bottlerocket.id
  tags        = { project = "demo-platform" }
}
