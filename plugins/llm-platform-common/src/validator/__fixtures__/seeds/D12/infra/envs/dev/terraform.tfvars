region = "us-west-2"

node_groups = {
  general = {
    instance_types = ["t3.medium"]
    ami_type       = "AL2023_x86_64_STANDARD"
    desired_size   = 1
    min_size       = 2
    max_size       = 5
    labels         = { workload = "general" }
    taints         = []
  }
  gpu = {
    instance_types = ["g4dn.xlarge"]
    ami_type       = "AL2023_x86_64_NVIDIA"
    desired_size   = 1
    min_size       = 0
    max_size       = 2
    labels = {
      "nvidia.com/gpu.present" = "true"
      workload                 = "gpu"
    }
    taints = [
      {
        key    = "nvidia.com/gpu"
        value  = "true"
        effect = "NO_SCHEDULE"
      }
    ]
  }
}
