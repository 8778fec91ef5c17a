// The first-frame baseline: an Ink hello-world, bundled by the bench with esbuild like the CLI.
import React from 'react';
import {render, Text} from 'ink';

render(<Text>Hello from Ink</Text>);
