#!/usr/bin/env bash
set -euo pipefail
aws eks create-addon --cluster-name demo-dev --addon-name aws-ebs-csi-driver
