import { SetMetadata } from '@nestjs/common';

import type { Role } from '../common/context/request-context';

export const REQUIRED_ROLE = 'squad-mcp:required-role';

/** Restricts a route to keys holding `role` (tools declare their roles in @McpTool instead). */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);
