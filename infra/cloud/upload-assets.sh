#!/usr/bin/env bash
# Uploads public/ (after `npm run package:cloud`, which builds it) to the cloud stage's asset bucket
# and refreshes CloudFront's copies of the unhashed files. Needs the AWS CLI and credentials.
# Usage: infra/cloud/upload-assets.sh [stage]   (default: cloud)
set -euo pipefail
cd "$(dirname "$0")/../.."
stage="${1:-cloud}"
output() {
  aws cloudformation describe-stacks --stack-name "till-$stage" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
bucket="$(output AssetsBucketName)"
distribution="$(output DistributionId)"

# Hashed files first (new names, nothing cached refers to them yet), the service worker last, so a
# new worker never points at files that are not there. CloudFront sets Cache-Control on the way out
# (infra/cloud/resources.yml); the metadata here says the same for anyone reading the bucket.
aws s3 sync public/build "s3://$bucket/build" --cache-control 'public, max-age=31536000, immutable'
aws s3 sync public/pglite "s3://$bucket/pglite" --cache-control no-cache --exclude '*' --include '*.wasm' --content-type application/wasm
aws s3 sync public/pglite "s3://$bucket/pglite" --cache-control no-cache --exclude '*.wasm'
aws s3 sync public/vendor "s3://$bucket/vendor" --cache-control no-cache
aws s3 cp public/sw.js "s3://$bucket/sw.js" --cache-control no-cache --content-type 'text/javascript; charset=utf-8'
aws cloudfront create-invalidation --distribution-id "$distribution" --paths /sw.js '/pglite/*' '/vendor/*' >/dev/null
echo "assets uploaded to s3://$bucket, CloudFront $distribution refreshed"
